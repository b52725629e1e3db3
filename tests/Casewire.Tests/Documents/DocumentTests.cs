using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Casewire.Documents;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Documents;

/// <summary>
/// Firm → client documents through the Partner API (SPEC §14), on either database: upload and list, the notice with a
/// working portal link, the limits (413, 415), sanitized names, and scoping — another firm's project, and another
/// case's client with their own portal link.
/// </summary>
public sealed partial class DocumentTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    internal static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"u8.ToArray();

    internal static MultipartFormDataContent Form(byte[] bytes, string fileName, string? title = "Settlement letter", string? notify = "false",
        string contentType = "application/pdf")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        form.Add(file, "file", fileName);
        if (title is not null) form.Add(new StringContent(title), "title");
        if (notify is not null) form.Add(new StringContent(notify), "notify");
        return form;
    }

    static Task<HttpResponseMessage> UploadAsync(CasewireApp.Tenant tenant, string project, MultipartFormDataContent form) =>
        tenant.Http.PostAsync($"/partner/v2/projects/{project}/documents", form);

    [Fact]
    public async Task An_upload_is_201_with_its_metadata_and_is_listed_and_downloadable_byte_identical()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", null, "ann@example.com"));

        var created = await (await UploadAsync(tenant, "p1", Form(Pdf, "letter.pdf"))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal("Settlement letter", (string?)created["title"]);
        Assert.Equal("letter.pdf", (string?)created["fileName"]);
        Assert.Equal("application/pdf", (string?)created["contentType"]);
        Assert.Equal(Pdf.Length, (long)created["size"]!);
        Assert.Equal(app.Time.GetUtcNow(), (DateTimeOffset)created["createdAt"]!);
        var listed = await (await tenant.Http.GetAsync("/partner/v2/projects/p1/documents")).ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(listed["items"]!.AsArray())!;
        Assert.Equal((int)created["id"]!, (int)item["id"]!);

        var download = await tenant.Http.GetAsync($"/partner/v2/projects/p1/documents/{(int)created["id"]!}/content");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        // No notify: no message.
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task Notify_sends_one_notice_per_client_whose_link_opens_the_document()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", PartnerSetup.UniqueNumber(), null), ("c2", null, "bo@example.com"));

        var created = await (await UploadAsync(tenant, "p1", Form(Pdf, "letter.pdf", notify: null))).ExpectAsync(HttpStatusCode.Created);
        await app.DispatchAsync();

        var notices = await app.WithDbAsync(db => db.Messages.Include(m => m.Deliveries)
            .Where(m => m.CompanyId == tenant.CompanyId).ToListAsync());
        Assert.Equal(2, notices.Count);
        Assert.Equal(2, notices.SelectMany(m => m.Deliveries).Select(d => d.ContactId).Distinct().Count());
        foreach (var notice in notices)
        {
            var delivery = Assert.Single(notice.Deliveries);
            var sunk = Assert.Single(app.SinkLines(), l => (long?)l["deliveryId"] == delivery.Id);
            var text = (string)sunk["text"]!;
            Assert.Contains("Settlement letter", text);
            var path = new Uri(PortalLink().Match(text).Value).AbsolutePath;
            var page = await app.CreateClient().GetStringAsync(path);
            Assert.Contains("Settlement letter", page);

            var download = await app.CreateClient().GetAsync($"{path}/documents/{(int)created["id"]!}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal(Pdf, await download.Content.ReadAsByteArrayAsync());
            Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
            Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        }
        // Each client's download is on the project's timeline.
        var downloads = await app.WithDbAsync(db => db.DocumentDownloads.Where(d => d.CompanyId == tenant.CompanyId).ToListAsync());
        Assert.Equal(2, downloads.Count);
        Assert.All(downloads, d => Assert.Equal("client", d.ByKind));
    }

    [Fact]
    public async Task A_26_MiB_file_is_413_and_leaves_nothing_behind()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", null, "ann@example.com"));
        var big = new byte[26 * 1024 * 1024];
        Pdf.CopyTo(big, 0);

        var problem = await (await UploadAsync(tenant, "p1", Form(big, "scan.pdf"))).ProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Contains("25 MiB", problem.ErrorsFor("file").Single());
        Assert.Equal(0, await app.WithDbAsync(db => db.Documents.CountAsync(d => d.CompanyId == tenant.CompanyId)));
        Assert.False(await StoredUnderAsync(tenant.CompanyId));
    }

    [Fact]
    public async Task An_executable_renamed_pdf_is_415_naming_the_accepted_types()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", null, "ann@example.com"));
        var exe = new byte[4096];
        "MZ"u8.CopyTo(exe);
        "This program cannot be run in DOS mode."u8.CopyTo(exe.AsSpan(0x4E));

        var problem = await (await UploadAsync(tenant, "p1", Form(exe, "invoice.pdf"))).ProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Contains("PDF, JPEG, PNG", problem.ErrorsFor("file").Single());
        Assert.Equal(0, await app.WithDbAsync(db => db.Documents.CountAsync(d => d.CompanyId == tenant.CompanyId)));
        Assert.False(await StoredUnderAsync(tenant.CompanyId));
    }

    [Theory]
    [InlineData("../../../etc/passwd.pdf", "passwd.pdf")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini.pdf")]
    [InlineData("../", "document.pdf")]
    [InlineData("..pdf", "pdf.pdf")]
    [InlineData("re<po>rt?.pdf", "report.pdf")]
    public async Task A_name_with_a_path_is_sanitized_to_its_last_segment_with_the_types_extension(string name, string expected)
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", null, "ann@example.com"));

        var created = await (await UploadAsync(tenant, "p1", Form(Pdf, name))).ExpectAsync(HttpStatusCode.Created);

        Assert.Equal(expected, (string?)created["fileName"]);
        var key = await app.WithDbAsync(db => db.Documents.Where(d => d.Id == (int)created["id"]!).Select(d => d.StorageKey).SingleAsync());
        Assert.True(StorageKeys.IsValid(key));
        Assert.True(File.Exists(Path.Combine(app.Folder, "files", key)));
    }

    [Fact]
    public async Task Another_firms_project_is_404_to_upload_list_and_download()
    {
        var owner = await app.ProjectWithClientsAsync("p1", ("c1", null, "ann@example.com"));
        var created = await (await UploadAsync(owner, "p1", Form(Pdf, "letter.pdf"))).ExpectAsync(HttpStatusCode.Created);
        var hostile = await app.NewTenantAsync();

        await (await UploadAsync(hostile, "p1", Form(Pdf, "mine.pdf"))).ProblemAsync(HttpStatusCode.NotFound);
        await (await hostile.Http.GetAsync("/partner/v2/projects/p1/documents")).ProblemAsync(HttpStatusCode.NotFound);
        await (await hostile.Http.GetAsync($"/partner/v2/projects/p1/documents/{(int)created["id"]!}/content")).ProblemAsync(HttpStatusCode.NotFound);
        // Even with a project of the same externalId of its own.
        await hostile.ContactAsync("c1", email: "eve@example.com");
        await hostile.ProjectAsync("p1", ["c1"]);
        await (await hostile.Http.GetAsync($"/partner/v2/projects/p1/documents/{(int)created["id"]!}/content")).ProblemAsync(HttpStatusCode.NotFound);
        var theirs = await (await hostile.Http.GetAsync("/partner/v2/projects/p1/documents")).ExpectAsync(HttpStatusCode.OK);
        Assert.Empty(theirs["items"]!.AsArray());
        Assert.Equal(1, await app.WithDbAsync(db => db.Documents.CountAsync(d => d.CompanyId == owner.CompanyId)));
    }

    [Fact]
    public async Task A_client_of_another_case_cannot_download_through_their_own_portal_link()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", null, "ann@example.com"));
        var bo = await tenant.ContactAsync("c2", email: "bo@example.com", firstName: "Bo");
        var otherCase = await tenant.ProjectAsync("p2", ["c2"]);
        var created = await (await UploadAsync(tenant, "p1", Form(Pdf, "letter.pdf"))).ExpectAsync(HttpStatusCode.Created);
        var bosLink = await app.PortalPathAsync(tenant.CompanyId, otherCase, bo);

        var download = await app.CreateClient().GetAsync($"{bosLink}/documents/{(int)created["id"]!}");

        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.DoesNotContain("Settlement letter", await app.CreateClient().GetStringAsync(bosLink));
        Assert.Equal(0, await app.WithDbAsync(db => db.DocumentDownloads.CountAsync(d => d.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task A_missing_file_field_and_a_bad_notify_are_400_naming_the_fields_and_JSON_is_415()
    {
        var tenant = await app.ProjectWithClientsAsync("p1", ("c1", null, "ann@example.com"));
        var form = new MultipartFormDataContent { { new StringContent("maybe"), "notify" } };

        var problem = await (await UploadAsync(tenant, "p1", form)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotEmpty(problem.ErrorsFor("file"));
        Assert.NotEmpty(problem.ErrorsFor("notify"));
        // A JSON body is not an upload at all.
        var json = await tenant.Http.PostJsonAsync("/partner/v2/projects/p1/documents", new { title = "x" });
        await json.ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    async Task<bool> StoredUnderAsync(int companyId) =>
        await Task.FromResult(Directory.Exists(Path.Combine(app.Folder, "files", companyId.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            && Directory.EnumerateFiles(Path.Combine(app.Folder, "files", companyId.ToString(System.Globalization.CultureInfo.InvariantCulture)), "*",
                SearchOption.AllDirectories).Any());

    [GeneratedRegex(@"https?://\S+/(?:p|portal)/[A-Za-z0-9_\-]+")] // the short link (SPEC §11), or a long one
    private static partial Regex PortalLink();
}
