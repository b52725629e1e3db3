using Casewire.Data;
using Casewire.MassMessages;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp;

/// <summary>
/// What the Company App shows of sent mass messages (SPEC §12): the history, newest first, each with its deliveries
/// counted by status (<see cref="MassMessageCounts"/>, as the API counts them), and one mass message's recipients.
/// Every query is scoped to one company.
/// </summary>
static class MassMessageHistory
{
    public const int PageSize = 25;
    public const int RecipientPageSize = 200;

    public sealed record Entry(MassMessage Mass, IReadOnlyDictionary<string, int> Counts);

    /// <param name="Before">The cursor of the next (older) page, or null on the last.</param>
    public sealed record Page(IReadOnlyList<Entry> Entries, int? Before);

    /// <summary>One delivery of the mass message: a client on a channel.</summary>
    public sealed record Recipient(long ItemId, string Client, int? ProjectId, string? Project, Channel Channel, string To,
        DeliveryStatus Status, DateTimeOffset DueAt, DateTimeOffset? SentAt, string? Error);

    /// <param name="After">The cursor of the next page of recipients, or null on the last.</param>
    public sealed record Recipients(IReadOnlyList<Recipient> Rows, long? After);

    public static async Task<Page> ListAsync(CasewireDb db, int companyId, int? before, CancellationToken ct)
    {
        var rows = await db.MassMessages.AsNoTracking().ForCompany(companyId)
            .Where(m => before == null || m.Id < before)
            .OrderByDescending(m => m.Id).Take(PageSize + 1).ToListAsync(ct);
        var page = rows.Take(PageSize).ToList();
        var counts = await MassMessageCounts.OfAsync(db, companyId, page.Select(m => m.Id).ToList(), ct);
        return new Page(page.Select(m => new Entry(m, counts[m.Id])).ToList(), rows.Count > PageSize ? page[^1].Id : null);
    }

    public static async Task<Entry?> FindAsync(CasewireDb db, int companyId, int id, CancellationToken ct)
    {
        var mass = await db.MassMessages.AsNoTracking().ForCompany(companyId).FirstOrDefaultAsync(m => m.Id == id, ct);
        return mass is null ? null : new Entry(mass, (await MassMessageCounts.OfAsync(db, companyId, [id], ct))[id]);
    }

    public static async Task<Recipients> RecipientsAsync(CasewireDb db, int companyId, int id, long? after, CancellationToken ct)
    {
        var rows = await db.OutboxItems.AsNoTracking().ForCompany(companyId)
            .Where(o => o.MassMessageId == id && (after == null || o.Id > after))
            .OrderBy(o => o.Id).Take(RecipientPageSize + 1)
            .Select(o => new
            {
                o.Id, o.Channel, o.To, o.Status, o.DueAt, o.SentAt, o.ErrorCode, o.ErrorMessage, o.Message!.ProjectId,
                Client = db.Contacts.Where(c => c.Id == o.ContactId).Select(c => c.FirstName + " " + c.LastName).FirstOrDefault(),
                Project = db.Projects.Where(p => p.Id == o.Message.ProjectId).Select(p => p.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var page = rows.Take(RecipientPageSize).ToList();
        return new Recipients(page.Select(r => new Recipient(r.Id, r.Client ?? r.To, r.ProjectId, r.Project, r.Channel, r.To, r.Status,
                r.DueAt, r.SentAt, r.ErrorMessage is null ? r.ErrorCode : $"{r.ErrorCode}: {r.ErrorMessage}")).ToList(),
            rows.Count > RecipientPageSize ? page[^1].Id : null);
    }
}
