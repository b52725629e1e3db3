using Casewire.Data;
using Casewire.Delivery;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.MassMessages;

/// <summary>
/// The clients a <see cref="MassMessageFilter"/> reaches in one company (SPEC §12): each client once, on the first
/// matching project (lowest id), on their preferred channel (<see cref="ClientChannels"/>: a number that opted out
/// is replaced by the client's email where they have one). Skipped, with the reason: a client whose only way is a
/// number that opted out, one with neither phone nor email, and every further match of a client already counted.
/// </summary>
sealed class Audience(CasewireDb db)
{
    /// <summary>A client to write to, on <paramref name="Project"/> (its name and phase fill the placeholders).</summary>
    public sealed record Recipient(Contact Contact, ProjectRef Project, IReadOnlyList<(Channel Channel, string To)> Channels);

    public sealed record ProjectRef(int Id, string ExternalId, string Name, string PhaseName);

    /// <summary>A client left out, and why: <c>opted-out</c>, <c>unreachable</c> or <c>duplicate</c>.</summary>
    public sealed record Skip(Contact Contact, ProjectRef Project, string Reason);

    public sealed record Result(IReadOnlyList<Recipient> Recipients, IReadOnlyList<Skip> Skipped)
    {
        public int OptedOut => Skipped.Count(s => s.Reason == OptedOutReason);
        public int Unreachable => Skipped.Count(s => s.Reason == UnreachableReason);
        public int Duplicate => Skipped.Count(s => s.Reason == DuplicateReason);
    }

    public const string OptedOutReason = "opted-out", UnreachableReason = "unreachable", DuplicateReason = "duplicate";

    sealed record Row(int ProjectId, string ExternalId, string Name, string PartnerPhaseName, string? PhaseName, int Position, Contact Contact);

    public async Task<Result> ResolveAsync(int companyId, MassMessageFilter filter, CancellationToken ct)
    {
        if (filter.IsEmpty) throw new ArgumentException("An empty filter reaches nobody by rule; it must be refused before.", nameof(filter));
        var projects = db.Projects.AsNoTracking().ForCompany(companyId);
        if (filter.Statuses is { } statusNames)
        {
            var statuses = statusNames.Select(ProjectStatusNames.Parse).OfType<ProjectStatus>().ToList();
            projects = projects.Where(p => statuses.Contains(p.Status));
        }
        if (filter.MilestonesEnabled is { } milestones) projects = projects.Where(p => p.MilestonesEnabled == milestones);
        if (filter.ProjectIds is { } ids) projects = projects.Where(p => ids.Contains(p.ExternalId));
        if (filter.ProjectTypes is { } typeNames)
        {
            var normalized = typeNames.Select(PartnerNames.Normalize).ToList();
            var types = db.ProjectTypes.ForCompany(companyId).Where(t => normalized.Contains(t.NormalizedName)).Select(t => t.Id);
            projects = projects.Where(p => types.Contains(p.ProjectTypeId));
        }

        var rows = await (
            from p in projects
            join pc in db.ProjectClients on p.Id equals pc.ProjectId
            join c in db.Contacts.AsNoTracking() on pc.ContactId equals c.Id
            select new Row(p.Id, p.ExternalId, p.Name, p.PartnerPhaseName, p.Phase != null ? p.Phase.Name : null, pc.Position, c))
            .ToListAsync(ct);
        if (filter.Phases is { } phaseNames)
        {
            var phases = phaseNames.Select(PartnerNames.Normalize).ToHashSet(StringComparer.Ordinal);
            rows = rows.Where(r => phases.Contains(PartnerNames.Normalize(r.PartnerPhaseName))
                                   || (r.PhaseName is not null && phases.Contains(PartnerNames.Normalize(r.PhaseName)))).ToList();
        }

        var optedOut = (await db.OptOuts.ForCompany(companyId).Where(o => o.Active).Select(o => o.Phone).ToListAsync(ct))
            .ToHashSet(StringComparer.Ordinal);
        var recipients = new List<Recipient>();
        var skipped = new List<Skip>();
        var seen = new HashSet<int>();
        foreach (var row in rows.OrderBy(r => r.ProjectId).ThenBy(r => r.Position))
        {
            var project = new ProjectRef(row.ProjectId, row.ExternalId, row.Name, row.PhaseName ?? row.PartnerPhaseName);
            if (!seen.Add(row.Contact.Id))
            {
                skipped.Add(new Skip(row.Contact, project, DuplicateReason));
                continue;
            }
            var channels = ClientChannels.Of(row.Contact, optedOut);
            if (channels.Count == 0) skipped.Add(new Skip(row.Contact, project, UnreachableReason));
            else if (channels.All(c => c.Channel == Channel.Sms && optedOut.Contains(c.To))) skipped.Add(new Skip(row.Contact, project, OptedOutReason));
            else recipients.Add(new Recipient(row.Contact, project, channels.Where(c => !(c.Channel == Channel.Sms && optedOut.Contains(c.To))).ToList()));
        }
        return new Result(recipients, skipped);
    }
}
