using Casewire.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Casewire.Partner;

/// <summary>Problem results shared by the Partner API's resources.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, string externalId) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: $"No {what} with externalId '{FieldErrors.Shorten(externalId)}' exists in this company.");
}
