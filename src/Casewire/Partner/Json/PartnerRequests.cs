using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.Partner.Json;

/// <summary>
/// Request hygiene for the Partner API: a 1 MiB body limit answered with a 400 problem (SPEC §1),
/// and bodies read as JSON whatever Content-Type a CMS sends (many send none, or text/plain).
/// </summary>
static class PartnerRequests
{
    public static async Task Guard(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (request.ContentLength > Model.Limits.RequestBodyBytes)
        {
            var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "The request body is too large",
                    Detail = $"The body has {request.ContentLength} bytes; at most {Model.Limits.RequestBodyBytes} (1 MiB) are accepted.",
                },
            });
            return;
        }

        // Chunked bodies have no length: let the server stop reading at the limit (413 → 400 problem).
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = Model.Limits.RequestBodyBytes;

        if (HttpMethods.IsPut(request.Method) || HttpMethods.IsPost(request.Method))
        {
            if (request.ContentType is null || !request.ContentType.Contains("json", StringComparison.OrdinalIgnoreCase))
                request.ContentType = "application/json";
        }
        await next(context);
    }
}
