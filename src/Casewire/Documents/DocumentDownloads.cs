using Casewire.Model;
using Microsoft.Net.Http.Headers;

namespace Casewire.Documents;

/// <summary>
/// How every door serves a document (SPEC §14): as an attachment under its sanitized name, with the type its content
/// was found to have and <c>X-Content-Type-Options: nosniff</c>, so a browser never renders or runs it in our origin.
/// </summary>
static class DocumentDownloads
{
    /// <summary>The most a portal or project page upload body may be, whatever Storage:MaxFileBytes says (256 MiB).</summary>
    public const long PortalBodyCeiling = 256L * 1024 * 1024;

    public static IResult File(HttpContext context, Stream content, Document document)
    {
        SetHeaders(context.Response);
        return Results.File(content, document.ContentType, document.FileName);
    }

    public static void SetHeaders(HttpResponse response)
    {
        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        // A download is private: never kept by a shared cache.
        response.Headers.CacheControl = "private, no-store";
    }
}
