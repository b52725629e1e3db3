using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Casewire.Partner;

/// <summary>Problem results shared by the Partner API's resources.</summary>
static class Problems
{
    public static ProblemHttpResult NotFound(string what, string externalId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: $"No {what} with externalId '{FieldErrors.Shorten(externalId)}' exists in this company.");

    /// <summary>The 400 of a request that did not read (SPEC §1): its <c>errors</c> keyed by JSON field.</summary>
    public static ValidationProblem Invalid(FieldErrors errors) => TypedResults.ValidationProblem(errors.ToDictionary(), errors.Summary);
}
