using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Casewire.Partner.Json;

/// <summary>
/// Request hygiene for the Partner API: a 1 MiB body limit answered with a 400 problem (SPEC §1),
/// bodies read as UTF-8 JSON whatever Content-Type a CMS sends (many send none, or text/plain), and
/// answers in JSON whatever Accept it sends.
/// </summary>
static class PartnerRequests
{
    public static async Task Guard(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        // The API has no representation but JSON: an Accept without it is ignored (RFC 9110 §12.5.1), or problem
        // writers would refuse to write, leaving a bare 400 or failing a 401 challenge with a 500.
        request.Headers.Accept = default;
        // A document upload is multipart and as large as a file may be: its handler checks its size and form.
        if (DocumentsApi.IsUpload(request))
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } uploadLimit)
                uploadLimit.MaxRequestBodySize = DocumentsApi.MaxBodyBytes(
                    context.RequestServices.GetRequiredService<Documents.IncomingFiles>().MaxBytes);
            await next(context);
            return;
        }
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

        // JSON is UTF-8 (RFC 8259 §8.1): a charset parameter is dropped with the rest, or the framework would try to
        // transcode from it (and fail with a 500 on one it does not know, even on a quoted charset="utf-8").
        if (HttpMethods.IsPut(request.Method) || HttpMethods.IsPost(request.Method))
            request.ContentType = "application/json";
        await next(context);
    }
}
