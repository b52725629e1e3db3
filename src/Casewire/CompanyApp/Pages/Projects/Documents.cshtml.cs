using Casewire.CompanyApp.Projects;
using Casewire.Data;
using Casewire.Documents;
using Casewire.Model;
using Casewire.Portal;
using Casewire.Time;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Pages.Projects;

/// <summary>
/// <c>/projects/{id}/documents/{documentId}</c>: staff download a document of the project (recorded on its timeline);
/// <c>POST /projects/{id}/documents</c> attaches one (SPEC §14), exactly as the Partner API's upload does, notifying
/// the clients when asked. Admins and Users attach; Followers read and download.
/// </summary>
[RequestSizeLimit(DocumentDownloads.PortalBodyCeiling)]
[RequestFormLimits(MultipartBodyLengthLimit = DocumentDownloads.PortalBodyCeiling)]
sealed class DocumentsModel(CasewireDb db, SharedDocuments documents, DocumentFiles files, IncomingFiles incoming, TimeProvider time)
    : StaffPageModel
{
    public int ProjectId { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, int? documentId, CancellationToken ct)
    {
        var document = await db.Documents.AsNoTracking().ForCompany(CompanyId)
            .FirstOrDefaultAsync(d => d.Id == documentId && d.ProjectId == id, ct);
        if (document is null) return NotFound();
        var content = await files.OpenAsync(document.StorageKey, ct);
        if (content is null) return NotFound();
        var user = await db.Users.AsNoTracking().ForCompany(CompanyId).SingleAsync(u => u.Id == UserId, ct);
        db.DocumentDownloads.Add(new DocumentDownload
        {
            CompanyId = CompanyId, DocumentId = document.Id, ByKind = "staff",
            ByName = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "Staff" : user.DisplayName.Trim(),
            StaffUserId = user.Id, At = time.GetUtcNow().TruncateToMilliseconds(),
        });
        await db.SaveChangesAsync(ct);
        DocumentDownloads.SetHeaders(Response);
        return File(content, document.ContentType, document.FileName);
    }

    public async Task<IActionResult> OnPostAsync(int id, string? title, bool notify, CancellationToken ct)
    {
        ProjectId = id;
        var project = await db.Projects.AsNoTracking().ForCompany(CompanyId).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (project is null) return NotFound();
        if (!(User.IsInRole(StaffRole.Admin) || User.IsInRole(StaffRole.User)))
            return Refuse(403, "Your role (Follower) can read this project but not attach documents.");
        var file = Request.Form.Files.GetFile("file");
        if (file is null) return Refuse(400, "Choose the file to attach.");
        title = title?.Trim();
        if (title?.Length > Limits.Name) return Refuse(400, $"The title has {title.Length} characters; at most {Limits.Name} are accepted.");
        if (file.Length > incoming.MaxBytes) return Refuse(413, incoming.TooLarge(file.Length).Detail);
        await using var content = file.OpenReadStream();
        var (accepted, refusal) = incoming.Check(content, file.Length, file.FileName);
        if (refusal is not null) return Refuse(refusal.Status, refusal.Detail);

        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == CompanyId, ct);
        var user = await db.Users.AsNoTracking().ForCompany(CompanyId).SingleAsync(u => u.Id == UserId, ct);
        var author = string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "Staff" : user.DisplayName.Trim();
        var (document, notified) = await documents.ShareAsync(company, project,
            new SharedDocuments.Upload(accepted!, string.IsNullOrEmpty(title) ? Path.GetFileNameWithoutExtension(accepted!.FileName) : title, notify, author, user.Id), ct);
        Flash = $"\"{document.Title}\" is attached" + (notify ? $"; {ProjectLabels.Plural(notified, "client was", "clients were")} told." : ".");
        var back = $"/projects/{id}#document-{document.Id}";
        return WantsJson ? new JsonResult(new { id = document.Id, redirect = back }) { StatusCode = 201 } : Redirect(back);
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
