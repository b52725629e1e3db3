using Casewire.Data;
using Casewire.Delivery;
using Casewire.Documents;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Texts;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Portal;

/// <summary>
/// Firm → client (SPEC §14): a document attached to a project by staff (project page) or the CMS (Partner API). Its
/// file is written before the row commits and removed when it does not; with <c>notify</c>, each client of the
/// project gets the document notice (<see cref="DocumentTexts"/>, or the firm's own in that client's language) with
/// their own portal link, in the same transaction as the row.
/// </summary>
sealed class SharedDocuments(CasewireDb db, DocumentFiles files, Outbox outbox, ShortLinks links, ClientTexts texts, TimeProvider time)
{
    /// <param name="StaffUserId">The Company App user who attached it; null for the CMS.</param>
    public sealed record Upload(AcceptedFile File, string Title, bool Notify, string UploadedByName, int? StaffUserId = null);

    /// <summary>Stores and saves the document (and its notices); returns it with the number of clients notified.</summary>
    public async Task<(Document Document, int Notified)> ShareAsync(Company company, Project project, Upload upload, CancellationToken ct)
    {
        var now = time.GetUtcNow().TruncateToMilliseconds();
        await using var staged = files.Stage();
        var key = await staged.PutAsync(company.Id, upload.File, ct);
        var document = db.Documents.Add(new Document
        {
            CompanyId = company.Id, ProjectId = project.Id, Source = DocumentSource.Firm, Title = upload.Title,
            FileName = upload.File.FileName, ContentType = upload.File.Type.ContentType, Size = upload.File.Size, StorageKey = key,
            UploadedByStaffUserId = upload.StaffUserId, UploadedByName = upload.UploadedByName, CreatedAt = now,
        }).Entity;
        var notified = upload.Notify ? await NotifyAsync(company, project, document, now, ct) : 0;
        await db.SaveChangesAsync(ct);
        staged.Keep();
        return (document, notified);
    }

    /// <summary>One notice per client (the text carries their own link), one delivery per channel they are reached by.</summary>
    async Task<int> NotifyAsync(Company company, Project project, Document document, DateTimeOffset now, CancellationToken ct)
    {
        var clients = await db.ProjectClients.AsNoTracking().Where(c => c.ProjectId == project.Id)
            .OrderBy(c => c.Position).Select(c => c.Contact).ToListAsync(ct);
        var optedOut = await OptOuts.AmongAsync(db, company.Id, clients, ct);
        var notified = 0;
        foreach (var client in clients)
        {
            var channels = ClientChannels.Of(client, optedOut);
            if (channels.Count == 0) continue;
            var language = Languages.For(client, company);
            var subject = DocumentTexts.NoticeSubject(company.Name, document.Title, language);
            var text = await texts.OwnAsync(company.Id, TextKeys.DocumentNotice, language, ct) is { } own
                ? DocumentTexts.Notice(own, company, client, project.Name, document.Title, () => links.Issue(company, project.Id, client.Id))
                : DocumentTexts.Notice(company.Name, client.FirstName, project.Name, document.Title, links.Issue(company, project.Id, client.Id), language);
            var message = new Message
            {
                CompanyId = company.Id, ProjectId = project.Id, Direction = MessageDirection.Outbound, Kind = MessageKind.Notice,
                AuthorName = "Casewire", Text = text, Subject = subject, CreatedAt = now,
            };
            foreach (var (channel, to) in channels)
            {
                var item = new OutboxItem
                {
                    CompanyId = company.Id, Message = message, Channel = channel, To = to, Body = text, ContactId = client.Id,
                    Subject = channel == Channel.Email ? subject : null, From = channel == Channel.Sms ? company.SenderNumber : null,
                };
                message.Deliveries.Add(item);
                outbox.Enqueue(item);
            }
            db.Messages.Add(message);
            notified++;
        }
        return notified;
    }
}

/// <summary>What a client reads about a document the firm shared (SPEC §14), in the style of the event notices, in English or Spanish (SPEC §13).</summary>
static class DocumentTexts
{
    /// <summary>The default document notice: who, what, and the client's own portal link, where the document is.</summary>
    public static string Notice(string firm, string firstName, string caseName, string title, string link, string language = Languages.English) =>
        Cut(Languages.Of(language) == Languages.Spanish
            ? $"{firm}: Hola {firstName}, tiene un documento nuevo, \"{title}\", en {caseName}. Ábralo aquí: {link}"
            : $"{firm}: Hello {firstName}, a new document, \"{title}\", is ready for you on {caseName}. Open it here: {link}", link);

    /// <summary>The firm's own notice (checked when saved); a link is a stored row, issued only when the text carries it; a text over the limit keeps it whole.</summary>
    public static string Notice(string own, Company company, Contact client, string caseName, string title, Func<string> link)
    {
        var template = Template.FromStored(own);
        var url = template.PortalLink(link);
        return template.Render(new TemplateValues(client.FirstName, client.LastName, caseName, "", company.Name, url, DocumentTitle: title));
    }

    public static string NoticeSubject(string firm, string title, string language = Languages.English)
    {
        var subject = Languages.Of(language) == Languages.Spanish ? $"{firm}: documento nuevo \"{title}\"" : $"{firm}: new document \"{title}\"";
        return subject.Length <= Limits.Name ? subject : subject[..(Limits.Name - 1)] + "…";
    }

    /// <summary>Keeps the link whole: a very long title is shortened instead.</summary>
    static string Cut(string text, string link) =>
        text.Length <= Limits.MessageText ? text : text[..(Limits.MessageText - link.Length - 2)] + "… " + link;
}
