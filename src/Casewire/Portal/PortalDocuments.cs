using Casewire.Data;
using Casewire.Delivery.Inbound;
using Casewire.Documents;
using Casewire.Model;
using Casewire.Time;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.Portal;

/// <summary>
/// The documents one client sees in the portal (SPEC §14): what the firm shared on the case, and what this client
/// sent (never a co-client's); the download of one, recorded on the project's timeline; and "Send a document".
/// </summary>
sealed class PortalDocuments(CasewireDb db, DocumentFiles files, ClientReplies replies, TimeProvider time)
{
    public sealed record Entry(int Id, string Title, string FileName, string Size, bool FromClient, DateTimeOffset At, string When);

    public async Task<IReadOnlyList<Entry>> ListAsync(PortalClient client, CancellationToken ct)
    {
        var zone = TimeZones.Resolve(client.Company.TimeZone) ?? DateTimeZone.Utc;
        var rows = await Visible(client).OrderByDescending(d => d.Id).Take(200).ToListAsync(ct);
        return rows.Select(d => new Entry(d.Id, d.Title, d.FileName, Sizes.Describe(d.Size), d.Source == DocumentSource.Client, d.CreatedAt,
            EventTimes.Describe(Instant.FromDateTimeOffset(d.CreatedAt), zone, Texts.Languages.For(client.Contact, client.Company)))).ToList();
    }

    /// <summary>The document's row and bytes when this client may have it, the download recorded; null otherwise.</summary>
    public async Task<(Document Document, Stream Content)?> OpenAsync(PortalClient client, int id, CancellationToken ct)
    {
        var document = await Visible(client).FirstOrDefaultAsync(d => d.Id == id, ct);
        if (document is null) return null;
        var content = await files.OpenAsync(document.StorageKey, ct);
        if (content is null) return null;
        db.DocumentDownloads.Add(new DocumentDownload
        {
            CompanyId = client.Company.Id, DocumentId = document.Id, ByKind = "client",
            ByName = $"{client.Contact.FirstName} {client.Contact.LastName}", ContactId = client.Contact.Id,
            At = time.GetUtcNow().TruncateToMilliseconds(),
        });
        await db.SaveChangesAsync(ct);
        return (document, content);
    }

    /// <summary>
    /// A client's document: stored, then its row and a reply in the conversation ("Sent a document: …", which notifies
    /// staff as any reply does) committed together; the file goes again if they do not.
    /// </summary>
    public async Task<Document> ReceiveAsync(PortalClient client, AcceptedFile file, string? title, CancellationToken ct)
    {
        var now = time.GetUtcNow().TruncateToMilliseconds();
        var name = string.IsNullOrWhiteSpace(title) ? Path.GetFileNameWithoutExtension(file.FileName) : title.Trim();
        await using var staged = files.Stage();
        var key = await staged.PutAsync(client.Company.Id, file, ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var reply = await replies.AddAsync(new ClientReplies.Reply(client.Company.Id, client.Project.Id, client.Contact,
            $"Sent a document: {name} ({file.FileName}, {Sizes.Describe(file.Size)})", now), ct);
        await replies.SaveAsync(reply, ct);
        var document = db.Documents.Add(new Document
        {
            CompanyId = client.Company.Id, ProjectId = client.Project.Id, Source = DocumentSource.Client, Title = name,
            FileName = file.FileName, ContentType = file.Type.ContentType, Size = file.Size, StorageKey = key,
            UploadedByContactId = client.Contact.Id, UploadedByName = reply.AuthorName, MessageId = reply.Id, CreatedAt = now,
        }).Entity;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        staged.Keep();
        return document;
    }

    /// <summary>The firm's documents of the client's case and the ones this client sent.</summary>
    IQueryable<Document> Visible(PortalClient client) => db.Documents.AsNoTracking().ForCompany(client.Company.Id)
        .Where(d => d.ProjectId == client.Project.Id
                    && (d.Source == DocumentSource.Firm || d.UploadedByContactId == client.Contact.Id));
}
