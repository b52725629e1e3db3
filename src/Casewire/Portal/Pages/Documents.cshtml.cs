using Casewire.Data;
using Casewire.Documents;
using Casewire.Model;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Casewire.Portal.Pages;

/// <summary>
/// <c>/portal/{token}/documents/{id}</c>: a client downloads one of their case's documents (SPEC §14), and
/// <c>POST /portal/{token}/documents</c> sends the firm one ("Send a document"; the page's script posts it with
/// progress and reads a JSON answer, a plain form post is redirected back to the case). Scoped by the link like
/// every portal page: another client's or another case's document is a 404.
/// </summary>
// The form is read (antiforgery) before the handler can check Storage:MaxFileBytes: this is the hard ceiling above it.
[RequestSizeLimit(DocumentDownloads.PortalBodyCeiling)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentDownloads.PortalBodyCeiling)]
sealed class DocumentsModel(CasewireDb db, PortalLinks links, ShortLinks shortLinks, PortalDocuments documents, IncomingFiles incoming,
    TimeProvider time) : PageModel
{
    /// <summary>The route of the page under a short link (<c>/p/{code}/documents</c>); its own route is the long link's.</summary>
    public const string ShortRoute = "p/{code}/documents/{id:int?}";

    /// <summary>The case page this one belongs to: <c>/portal/{token}</c> or <c>/p/{code}</c>, whichever link the client opened.</summary>
    public string CasePath => CasePathOf(RouteData);

    public static string CasePathOf(RouteData route) => route.Values["code"] is string code
        ? ShortLinks.PathPrefix + Uri.EscapeDataString(code)
        : "/portal/" + Uri.EscapeDataString(route.Values["token"] as string ?? "");

    Task<(LinkState State, PortalClient? Client)> OpenAsync(CancellationToken ct) =>
        PortalClient.OpenRouteAsync(db, links, shortLinks, RouteData, time.GetUtcNow(), ct);

    /// <summary>Back to the case page. Not a <see cref="RedirectResult"/>: that logs the URL, and this URL is the client's credential (SPEC §11).</summary>
    StatusCodeResult BackToCase()
    {
        Response.Headers.Location = CasePath + "#documents";
        return StatusCode(StatusCodes.Status302Found);
    }
    public string? Error { get; private set; }

    /// <summary>The portal's words in the client's language (SPEC §13), for the answers to an upload.</summary>
    PortalWords L { get; set; } = new(Texts.Languages.English);

    /// <summary>Shown once on the case page after a document was sent.</summary>
    [TempData(Key = "DocumentNotice")] public string? Notice { get; set; }

    public async Task<IActionResult> OnGetAsync(int? id, CancellationToken ct)
    {
        var (state, client) = await OpenAsync(ct);
        if (state != LinkState.Works || id is null) return NotFound();
        var opened = await documents.OpenAsync(client!, id.Value, ct);
        if (opened is not { } found) return NotFound();
        var (document, content) = found;
        DocumentDownloads.SetHeaders(Response);
        return File(content, document.ContentType, document.FileName);
    }

    public async Task<IActionResult> OnPostAsync(string? title, CancellationToken ct)
    {
        var (state, client) = await OpenAsync(ct);
        if (state != LinkState.Works) return NotFound();
        L = new PortalWords(Texts.Languages.For(client!.Contact, client.Company));
        if (Request.ContentLength > incoming.MaxBytes + 64 * 1024)
            return Refuse(413, L["The file is larger than accepted; at most {0} is accepted.", incoming.MaxSize]);

        IFormFile? file;
        try
        {
            file = (await Request.ReadFormAsync(ct)).Files.GetFile("file");
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Refuse(400, L["The file did not arrive whole. Please try again."]);
        }
        if (file is null) return Refuse(400, L["Please choose a photo or a file to send."]);
        if (title?.Trim().Length > Limits.Name) return Refuse(400, L["Please keep the description to {0} characters.", Limits.Name]);
        if (file.Length > incoming.MaxBytes) return Refuse(413, L["This file is {0}; files up to {1} can be sent here.", Sizes.Describe(file.Length), incoming.MaxSize]);
        var since = time.GetUtcNow() - TimeSpan.FromMinutes(1);
        if (await PortalCase.PortalRepliesSinceAsync(db, client!, since, ct) >= CaseModel.RepliesPerMinute)
            return Refuse(429, L["You have sent several messages in the last minute. They have reached us; please wait a minute before sending another."]);

        await using var content = file.OpenReadStream();
        var (accepted, refusal) = incoming.Check(content, file.Length, file.FileName);
        if (refusal is not null)
            return Refuse(refusal.Status, refusal.Status == 415
                ? L["This type of file cannot be sent here. Please send a photo (JPEG, PNG, HEIC…), a PDF or a Word document."]
                : refusal.Detail);

        var document = await documents.ReceiveAsync(client!, accepted!, title, ct);
        Notice = L["Your document \"{0}\" is sent. Your case team will see it.", document.Title];
        return WantsJson
            ? new JsonResult(new { id = document.Id, title = document.Title, redirect = CasePath + "#documents" }) { StatusCode = 201 }
            : BackToCase();
    }

    bool WantsJson => Request.Headers.Accept.ToString().Contains("application/json", StringComparison.OrdinalIgnoreCase);

    IActionResult Refuse(int status, string message)
    {
        Error = message;
        if (WantsJson) return new JsonResult(new { error = message }) { StatusCode = status };
        var page = Page();
        page.StatusCode = status;
        return page;
    }
}
