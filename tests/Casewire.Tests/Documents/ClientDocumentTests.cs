using System.Net;
using System.Net.Http.Headers;
using Casewire.Model;
using Casewire.Tests.Fakes;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests.Documents;

/// <summary>
/// Client → firm (SPEC §14), on either database: "Send a document" in the portal joins the conversation as a reply
/// with the document attached; an inbound MMS's pictures, fetched from (fake) Twilio with the account's basic auth,
/// become documents of the sender's open project; staff download them from the project page.
/// </summary>
public sealed class ClientDocumentTests(TwilioApp app) : IClassFixture<TwilioApp>
{
    static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 1, 2, 3, 4];
    static readonly byte[] Jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 0, 16, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    async Task<(CasewireApp.Tenant Tenant, string Sender, string Phone, int ProjectId, int ContactId)> CaseAsync()
    {
        var (tenant, sender, phone) = await app.ClientOnProjectAsync();
        var (projectId, contactId) = await app.WithDbAsync(async db =>
            (await db.Projects.Where(p => p.CompanyId == tenant.CompanyId).Select(p => p.Id).SingleAsync(),
             await db.Contacts.Where(c => c.CompanyId == tenant.CompanyId).Select(c => c.Id).SingleAsync()));
        return (tenant, sender, phone, projectId, contactId);
    }

    [Fact]
    public async Task A_client_sends_a_photo_from_the_portal_and_staff_download_it_from_the_project_page()
    {
        var c = await CaseAsync();
        var portal = await app.PortalPathAsync(c.Tenant.CompanyId, c.ProjectId, c.ContactId);
        var browser = app.ClientBrowser();
        var token = StaffSession.AntiforgeryToken(await browser.GetPageAsync(portal))!;
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("Insurance card"), "title" } };
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "IMG_0001.PNG");

        var sent = await browser.Http.PostAsync($"{portal}/documents", form);

        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var document = await app.WithDbAsync(db => db.Documents.SingleAsync(d => d.CompanyId == c.Tenant.CompanyId));
        Assert.Equal(DocumentSource.Client, document.Source);
        Assert.Equal(("Insurance card", "IMG_0001.PNG", "image/png"), (document.Title, document.FileName, document.ContentType));
        var reply = await app.WithDbAsync(db => db.Messages.SingleAsync(m => m.Id == document.MessageId));
        Assert.Equal((MessageDirection.Inbound, MessageKind.Reply, c.ContactId), (reply.Direction, reply.Kind, reply.AuthorContactId));
        Assert.Contains("Insurance card", await browser.GetPageAsync(portal));

        var staff = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.Follower);
        var page = await staff.GetPageAsync($"/projects/{c.ProjectId}");
        Assert.Contains("Insurance card", page);
        Assert.Contains("from the client", page);
        var download = await staff.Http.GetAsync($"/projects/{c.ProjectId}/documents/{document.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("IMG_0001.PNG", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Contains("Downloaded by", await staff.GetPageAsync($"/projects/{c.ProjectId}"));
    }

    [Fact]
    public async Task A_portal_upload_that_is_not_a_photo_or_pdf_is_refused_with_a_message_and_stores_nothing()
    {
        var c = await CaseAsync();
        var portal = await app.PortalPathAsync(c.Tenant.CompanyId, c.ProjectId, c.ContactId);
        var browser = app.ClientBrowser();
        var token = StaffSession.AntiforgeryToken(await browser.GetPageAsync(portal))!;
        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        form.Add(new ByteArrayContent("#!/bin/sh\nrm -rf /\n"u8.ToArray()), "file", "photo.jpg");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{portal}/documents") { Content = form };
        request.Headers.Accept.ParseAdd("application/json");

        var refused = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Contains("cannot be sent", (string?)(await refused.JsonAsync())["error"]);
        Assert.Equal(0, await app.WithDbAsync(db => db.Documents.CountAsync(d => d.CompanyId == c.Tenant.CompanyId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CompanyId == c.Tenant.CompanyId && m.Direction == MessageDirection.Inbound)));
    }

    [Fact]
    public async Task A_Spanish_client_reads_the_upload_form_its_answers_and_the_documents_dates_in_Spanish()
    {
        var c = await CaseAsync();
        await app.WithDbAsync(async db =>
        {
            var contact = await db.Contacts.SingleAsync(x => x.Id == c.ContactId);
            contact.Language = "es";
            await db.SaveChangesAsync();
        });
        var portal = await app.PortalPathAsync(c.Tenant.CompanyId, c.ProjectId, c.ContactId);
        var browser = app.ClientBrowser();
        var page = WebUtility.HtmlDecode(await browser.GetPageAsync(portal));
        // The upload script's words come from the form: progress and failures in the client's language.
        Assert.Contains("data-sending=\"Enviando…\"", page);
        Assert.Contains("data-lost=\"Se perdió la conexión", page);
        var token = StaffSession.AntiforgeryToken(page)!;

        var form = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        form.Add(new ByteArrayContent("#!/bin/sh\nrm -rf /\n"u8.ToArray()), "file", "foto.jpg");
        var request = new HttpRequestMessage(HttpMethod.Post, $"{portal}/documents") { Content = form };
        request.Headers.Accept.ParseAdd("application/json");
        var refused = await browser.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.StartsWith("Este tipo de archivo no se puede enviar aquí.", (string?)(await refused.JsonAsync())["error"]);

        var sent = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" }, { new StringContent("Tarjeta del seguro"), "title" } };
        var file = new ByteArrayContent(Png);
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        sent.Add(file, "file", "IMG_0002.PNG");
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.PostAsync($"{portal}/documents", sent)).StatusCode);

        var after = WebUtility.HtmlDecode(await browser.GetPageAsync(portal));
        Assert.Contains("Su documento «Tarjeta del seguro» se ha enviado.", after);
        var document = await app.WithDbAsync(db => db.Documents.SingleAsync(d => d.CompanyId == c.Tenant.CompanyId));
        var zone = Casewire.Time.TimeZones.Resolve(await app.WithDbAsync(db => db.Companies.Where(x => x.Id == c.Tenant.CompanyId).Select(x => x.TimeZone).SingleAsync()))
                   ?? NodaTime.DateTimeZone.Utc;
        var when = Casewire.Time.EventTimes.Describe(NodaTime.Instant.FromDateTimeOffset(document.CreatedAt), zone, "es");
        Assert.NotEqual(Casewire.Time.EventTimes.Describe(NodaTime.Instant.FromDateTimeOffset(document.CreatedAt), zone), when);
        Assert.Contains($">{when}</time>", after);
    }

    [Fact]
    public async Task An_inbound_MMS_stores_each_picture_fetched_with_the_accounts_basic_auth_as_a_document_of_the_open_project()
    {
        var c = await CaseAsync();
        var sid = "MM" + Guid.NewGuid().ToString("N");
        var first = app.Twilio.AddMedia(sid, Jpeg, "image/jpeg");
        var second = app.Twilio.AddMedia(sid, Png, "image/png");

        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", new()
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = sid, ["From"] = c.Phone, ["To"] = c.Sender,
            ["Body"] = "Here is the letter", ["NumMedia"] = "2", ["MediaUrl0"] = first, ["MediaContentType0"] = "image/jpeg",
            ["MediaUrl1"] = second, ["MediaContentType1"] = "image/png",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var fetched = app.Twilio.MediaRequests.Where(r => r.Path.Contains(sid, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, fetched.Count);
        Assert.All(fetched, r => Assert.Equal(
            "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{FakeTwilio.AccountSid}:{FakeTwilio.AuthToken}")), r.Authorization));
        var documents = await app.WithDbAsync(db => db.Documents.Where(d => d.CompanyId == c.Tenant.CompanyId).OrderBy(d => d.Id).ToListAsync());
        Assert.Equal("image/jpeg,image/png", string.Join(",", documents.Select(d => d.ContentType)));
        Assert.All(documents, d => Assert.Equal((c.ProjectId, c.ContactId, DocumentSource.Client), (d.ProjectId, d.UploadedByContactId!.Value, d.Source)));
        var reply = await app.WithDbAsync(db => db.Messages.SingleAsync(m => m.ProviderMessageId == sid));
        Assert.All(documents, d => Assert.Equal(reply.Id, d.MessageId));

        var staff = await StaffSession.SignedInAsync(app, c.Tenant.CompanyId, StaffRole.User);
        var download = await staff.Http.GetAsync($"/projects/{c.ProjectId}/documents/{documents[0].Id}");
        Assert.Equal(Jpeg, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_MMS_media_url_outside_Twilio_is_not_fetched_and_the_text_is_still_stored()
    {
        var c = await CaseAsync();
        var sid = "MM" + Guid.NewGuid().ToString("N");
        var before = app.Twilio.MediaRequests.Count;

        var response = await FakeTwilio.PostSignedAsync(app.CreateClient(), "/webhooks/twilio/sms", new()
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = sid, ["From"] = c.Phone, ["To"] = c.Sender,
            ["Body"] = "see attached", ["NumMedia"] = "1", ["MediaUrl0"] = "http://169.254.169.254/latest/meta-data/",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before, app.Twilio.MediaRequests.Count);
        Assert.Equal(0, await app.WithDbAsync(db => db.Documents.CountAsync(d => d.CompanyId == c.Tenant.CompanyId)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.ProviderMessageId == sid)));
    }
}
