package dev.corebank.testing;

import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every RestAssured request a test sends carries {@link Tokens#STAFF} unless it sets its own Authorization
 * header, so tests of what an API does need not repeat who asks; the security tests name every caller, and
 * {@link Tokens#NONE} sends none. Registered for every test class (JUnit extension auto-detection, switched on
 * in the parent pom's surefire configuration).
 *
 * <p>A {@code @QuarkusTest} class is loaded by Quarkus' class loader, with a RestAssured of its own: the filter
 * is installed through the test class's loader, into the RestAssured its requests use.
 */
public class StaffTokenByDefault implements BeforeAllCallback {

    @Override
    public void beforeAll(ExtensionContext context) throws ReflectiveOperationException {
        ClassLoader loader = context.getRequiredTestClass().getClassLoader();
        Class.forName(StaffTokenByDefault.class.getName(), true, loader).getMethod("install").invoke(null);
    }

    /** Adds the filter to the RestAssured of this class's loader, once. */
    public static synchronized void install() {
        if (RestAssured.filters().stream().noneMatch(f -> f instanceof DefaultAuthorization)) {
            RestAssured.filters(new DefaultAuthorization());
        }
    }

    private static final class DefaultAuthorization implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response,
                FilterContext context) {
            String authorization = request.getHeaders().getValue("Authorization");
            if (authorization == null) {
                request.header("Authorization", Tokens.bearer(Tokens.STAFF));
            } else if (authorization.equals(Tokens.NONE)) {
                request.removeHeader("Authorization");
            }
            return context.next(request, response);
        }
    }
}
