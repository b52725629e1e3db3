using Casewire.Model;
using Microsoft.Net.Http.Headers;

namespace Casewire.Documents;

/// <summary>
/// How every door serves a document (SPEC §14): as an attachment under its sanitized name, with the type its content
/// was found to have and <c>X-Content-Type-Options: nosniff</c>, so a browser never renders or runs it in our origin.
/// </summary>
static class DocumentDownloads
{
    public static IResult File(HttpContext context, Stream content, Document document)
    {
        context.Response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        // A download is private: never kept by a shared cache.
        context.Response.Headers.CacheControl = "private, no-store";
        return Results.File(content, document.ContentType, document.FileName);
    }
}
