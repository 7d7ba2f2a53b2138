package dev.corebank.platform.rest;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.CONSTRUCTOR;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import jakarta.validation.ReportAsSingleViolation;
import jakarta.validation.constraints.Pattern;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * Free text PostgreSQL can store: no NUL character, which {@code text} and {@code jsonb} both refuse. JSON
 * allows it ({@code "\u0000"}), so without this check such a field passes validation and fails in the
 * database, as a 500 that no retry cures. Null is valid (pair with {@code @NotNull} where needed).
 */
@Documented
@Constraint(validatedBy = {})
@ReportAsSingleViolation
@Pattern(regexp = "[^\\x00]*")
@Target({METHOD, FIELD, ANNOTATION_TYPE, CONSTRUCTOR, PARAMETER, TYPE_USE})
@Retention(RUNTIME)
public @interface StorableText {

    String message() default "must not contain the NUL character (\\u0000)";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};
}
