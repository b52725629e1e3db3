using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.CompanyApp.Projects;

/// <summary>
/// The Projects list: one company's projects, newest activity first, found by the project's name or
/// external id, or a client's name, email, phone or external id. A project's activity is the later of
/// its last change from the CMS and its newest message (a client's reply brings it to the top). Keyset
/// paging on (activity, id): a page never skips or repeats a project because others were added.
/// </summary>
static class ProjectSearch
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public sealed record Row(
        int Id, string Name, string ExternalId, string Type, string? Phase, ProjectStatus Status, DateTimeOffset Activity, int Unread,
        IReadOnlyList<string> Clients);

    public sealed record Result(IReadOnlyList<Row> Rows, string? NextCursor);

    public static async Task<Result> FindAsync(CasewireDb db, int companyId, string? query, string? cursor, int limit, CancellationToken ct)
    {
        var projects = Matching(db.Projects.ForCompany(companyId), query);
        var ranked = projects.Select(p => new
        {
            p.Id,
            p.UpdatedAt,
            LastMessage = db.Messages.Where(m => m.CompanyId == companyId && m.ProjectId == p.Id).Max(m => (DateTimeOffset?)m.CreatedAt),
        }).Select(x => new { x.Id, Activity = x.LastMessage != null && x.LastMessage > x.UpdatedAt ? x.LastMessage.Value : x.UpdatedAt });
        if (Cursor.Read(cursor) is { } after)
            ranked = ranked.Where(x => x.Activity < after.Activity || (x.Activity == after.Activity && x.Id < after.Id));
        var page = await ranked.OrderByDescending(x => x.Activity).ThenByDescending(x => x.Id).Take(limit + 1).ToListAsync(ct);

        var ids = page.Take(limit).Select(x => x.Id).ToList();
        var details = await db.Projects.AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => new
            {
                p.Id, p.Name, p.ExternalId, Type = p.ProjectType.Name, Phase = p.Phase == null ? null : p.Phase.Name, p.Status,
                Unread = db.Messages.Count(m => m.CompanyId == companyId && m.ProjectId == p.Id && m.Direction == MessageDirection.Inbound && m.ReadAt == null),
                Clients = p.Clients.OrderBy(c => c.Position).Select(c => c.Contact.FirstName + " " + c.Contact.LastName).ToList(),
            }).AsSplitQuery().ToDictionaryAsync(p => p.Id, ct); // one query would join every project's clients (QueryPlanTests)
        var rows = new List<Row>(ids.Count);
        foreach (var x in page.Take(limit))
            if (details.TryGetValue(x.Id, out var d))
                rows.Add(new Row(d.Id, d.Name, d.ExternalId, d.Type, d.Phase, d.Status, x.Activity, d.Unread, d.Clients));
        return new Result(rows, page.Count > limit ? Cursor.Write(page[limit - 1].Activity, page[limit - 1].Id) : null);
    }

    /// <summary>Case-insensitive "contains" on the names, ids and email; a query that looks like a phone number matches by its digits.</summary>
    static IQueryable<Project> Matching(IQueryable<Project> projects, string? query)
    {
        var text = query?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(text)) return projects;
        var digits = new string(text.Where(char.IsAsciiDigit).ToArray());
        var phoneLike = digits.Length >= 4 && text.All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')' or '.');
        return phoneLike
            ? projects.Where(p => p.Name.ToLower().Contains(text) || p.ExternalId.ToLower().Contains(text)
                                  || p.Clients.Any(c => c.Contact.ExternalId.ToLower().Contains(text)
                                                        || (c.Contact.Phone != null && c.Contact.Phone.Contains(digits))))
            : projects.Where(p => p.Name.ToLower().Contains(text) || p.ExternalId.ToLower().Contains(text)
                                  || p.Clients.Any(c => (c.Contact.FirstName + " " + c.Contact.LastName).ToLower().Contains(text)
                                                        || c.Contact.ExternalId.ToLower().Contains(text)
                                                        || (c.Contact.Email != null && c.Contact.Email.ToLower().Contains(text))));
    }

    /// <summary>An opaque, URL-safe position: the last row's activity (in ticks, so no precision is lost) and id.</summary>
    static class Cursor
    {
        public static string Write(DateTimeOffset activity, int id) =>
            Base64Url.EncodeToString(Encoding.UTF8.GetBytes(FormattableString.Invariant($"v1:{activity.UtcTicks}:{id}")));

        public static (DateTimeOffset Activity, int Id)? Read(string? cursor)
        {
            if (string.IsNullOrEmpty(cursor) || cursor.Length > 80) return null;
            try
            {
                var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor)).Split(':');
                return parts.Length == 3 && parts[0] == "v1"
                       && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                       && ticks <= DateTimeOffset.MaxValue.UtcTicks
                       && int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                    ? (new DateTimeOffset(ticks, TimeSpan.Zero), id)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
