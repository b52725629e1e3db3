using Casewire.Data;
using Casewire.Documents;
using Casewire.Model;
using Casewire.Partner.Auth;
using Casewire.Portal;
using Casewire.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.OpenApi;

namespace Casewire.Partner;

sealed record DocumentResponse(int Id, string Title, string FileName, string ContentType, long Size, DateTimeOffset CreatedAt)
{
    /// <summary>firm (shared with the clients) or client (sent by one).</summary>
    public string Source { get; init; } = "firm";

    public static DocumentResponse From(Document d) =>
        new(d.Id, d.Title, d.FileName, d.ContentType, d.Size, d.CreatedAt) { Source = d.Source == DocumentSource.Client ? "client" : "firm" };
}

/// <summary>The multipart form of an upload, as the OpenAPI document describes it (the handler reads the form itself).</summary>
sealed class DocumentUploadForm
{
    /// <summary>The file: PDF, JPEG, PNG, GIF, WebP, HEIC/HEIF or DOCX, decided by its content.</summary>
    public required IFormFile File { get; init; }
    /// <summary>What clients see; the file's name when absent.</summary>
    public string? Title { get; init; }
    /// <summary>Send each client the document notice with their portal link (default true).</summary>
    public bool? Notify { get; init; }
}

/// <summary>SPEC §14: <c>POST</c> and <c>GET /partner/v2/projects/{externalId}/documents</c>, and the download extension.</summary>
static class DocumentsApi
{
    const string Path = "/projects/{externalId}/documents";

    public static RouteGroupBuilder MapDocuments(this RouteGroupBuilder api)
    {
        api.MapPost(Path, Upload)
            .WithName("UploadDocument").WithSummary("Attach a document to a project (multipart: file, title, notify)")
            .WithDescription("The type is decided by the file's content (PDF, JPEG, PNG, GIF, WebP, HEIC/HEIF, DOCX; else 415), " +
                             "at most Storage:MaxFileBytes (25 MiB by default; else 413). With notify (default true) each client of " +
                             "the project gets the document notice with their portal link.")
            // The multipart body is documented, not routed on: Accepts metadata would make routing answer 415 to a
            // request of another type before authentication had refused a bad token (401 comes first, SPEC §1).
            .AddOpenApiOperationTransformer(async (operation, context, ct) => operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["multipart/form-data"] = new() { Schema = await context.GetOrCreateSchemaAsync(typeof(DocumentUploadForm), null, ct) },
                },
            })
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .DisableAntiforgery();
        api.MapGet(Path, List)
            .WithName("ListDocuments").WithSummary("List a project's documents, oldest first, cursor-paginated")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet(Path + "/{id:int}/content", Download)
            .WithName("DownloadDocument").WithSummary("Download a document (recorded on the project's timeline)")
            .Produces(StatusCodes.Status200OK, contentType: "application/octet-stream")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .MarkAsExtension();
        return api;
    }

    /// <summary>An upload's request: exempt from the JSON body limit and Content-Type rewrite (PartnerRequests.Guard).</summary>
    public static bool IsUpload(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Value is { } path && path.EndsWith("/documents", StringComparison.Ordinal);

    /// <summary>The body an upload may have: the file and a little room for the form's other fields and boundaries.</summary>
    public static long MaxBodyBytes(long maxFileBytes) => maxFileBytes + 64 * 1024;

    static async Task<IResult> Upload(
        string externalId, HttpRequest request, CasewireDb db, Tenant tenant, IncomingFiles incoming, SharedDocuments documents, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking().ForCompany(tenant.CompanyId).FirstOrDefaultAsync(p => p.ExternalId == externalId, ct);
        if (project is null) return Problems.NotFound("project", externalId);
        if (request.ContentLength > MaxBodyBytes(incoming.MaxBytes)) return Refused(incoming.TooLarge(null));
        if (!request.HasFormContentType)
            return Refused(new FileRefusal(StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "Send multipart/form-data with the file in the field 'file' (and optionally 'title' and 'notify')."));

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Refused(incoming.TooLarge(null));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or BadHttpRequestException)
        {
            return Invalid("file", "The multipart body could not be read; send multipart/form-data with the file in the field 'file'.");
        }

        var errors = new Dictionary<string, string[]>();
        var file = form.Files.GetFile("file");
        if (file is null) errors["file"] = ["Attach the file in the multipart field 'file'."];
        var title = form["title"].ToString().Trim();
        if (title.Length > Limits.Name) errors["title"] = [$"title has {title.Length} characters; at most {Limits.Name} are accepted."];
        else if (title.Any(char.IsControl)) errors["title"] = ["title may not contain control characters (line breaks, tabs)."];
        var notifyValue = form["notify"].ToString().Trim();
        bool notify = true;
        if (notifyValue.Length > 0 && !bool.TryParse(notifyValue, out notify))
            errors["notify"] = ["notify must be true or false (true when absent)."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, "The upload is incomplete or has invalid fields.");

        if (file!.Length > incoming.MaxBytes) return Refused(incoming.TooLarge(file.Length));
        await using var content = file.OpenReadStream();
        var (accepted, refusal) = incoming.Check(content, file.Length, file.FileName);
        if (refusal is not null) return Refused(refusal);
        if (title.Length == 0) title = System.IO.Path.GetFileNameWithoutExtension(accepted!.FileName);

        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == tenant.CompanyId, ct);
        var (document, _) = await documents.ShareAsync(company, project, new SharedDocuments.Upload(accepted!, title, notify, "CRM"), ct);
        return TypedResults.Created($"{PartnerApi.BasePath}/projects/{Uri.EscapeDataString(externalId)}/documents/{document.Id}/content",
            DocumentResponse.From(document));
    }

    static async Task<Results<Ok<Page<DocumentResponse>>, ValidationProblem, ProblemHttpResult>> List(
        string externalId, int? limit, string? cursor, CasewireDb db, Tenant tenant, CancellationToken ct)
    {
        if (!Paging.TryRead(limit, cursor, out var paging, out var errors)) return Problems.Invalid(errors);
        var projectId = await db.Projects.ForCompany(tenant.CompanyId).Where(p => p.ExternalId == externalId).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct);
        if (projectId is null) return Problems.NotFound("project", externalId);
        var rows = await db.Documents.AsNoTracking().ForCompany(tenant.CompanyId)
            .Where(d => d.ProjectId == projectId && d.Id > paging.Cursor)
            .OrderBy(d => d.Id).Take(paging.Limit + 1).ToListAsync(ct);
        return TypedResults.Ok(paging.ToPage(rows, d => d.Id, DocumentResponse.From));
    }

    static async Task<IResult> Download(
        string externalId, int id, HttpContext context, CasewireDb db, Tenant tenant, DocumentFiles files, TimeProvider time, CancellationToken ct)
    {
        var document = await db.Documents.AsNoTracking().ForCompany(tenant.CompanyId)
            .FirstOrDefaultAsync(d => d.Id == id && db.Projects.Any(p => p.Id == d.ProjectId && p.CompanyId == tenant.CompanyId && p.ExternalId == externalId), ct);
        if (document is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
            detail: $"Project '{Validation.FieldErrors.Shorten(externalId)}' has no document {id} in this company.");
        var content = await files.OpenAsync(document.StorageKey, ct);
        if (content is null) return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The file is missing",
            detail: $"Document {id}'s file is not in the store; attach it again.");
        db.DocumentDownloads.Add(new DocumentDownload
        {
            CompanyId = tenant.CompanyId, DocumentId = document.Id, ByKind = "api", ByName = $"API token {tenant.TokenName}",
            ApiTokenId = tenant.TokenId, At = time.GetUtcNow().TruncateToMilliseconds(),
        });
        await db.SaveChangesAsync(ct);
        return DocumentDownloads.File(context, content, document);
    }

    static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, message);

    /// <summary>A 413/415/400 problem naming the field and what is accepted.</summary>
    static ProblemHttpResult Refused(FileRefusal refusal) => TypedResults.Problem(new HttpValidationProblemDetails(
        new Dictionary<string, string[]> { ["file"] = [refusal.Detail] })
    {
        Status = refusal.Status, Title = refusal.Title, Detail = refusal.Detail,
    });
}
