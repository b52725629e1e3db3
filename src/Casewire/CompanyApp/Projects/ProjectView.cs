using Casewire.Calendar;
using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Casewire.CompanyApp.Projects;

/// <summary>Everything the project page shows, read in a handful of queries, all scoped to the company.</summary>
sealed class ProjectView
{
    public required Company Company { get; init; }
    public required DateTimeZone Zone { get; init; }
    public required Project Project { get; init; }
    /// <summary>The type's phases in order.</summary>
    public required IReadOnlyList<Phase> Phases { get; init; }
    /// <summary>The CMS's last phase name maps to no phase (a locked type): the project waits in its last mapped phase.</summary>
    public required bool WaitingOnUnmappedPhase { get; init; }
    public required IReadOnlyList<Client> Clients { get; init; }
    /// <summary>Every message of the project, oldest first.</summary>
    public required IReadOnlyList<Message> Conversation { get; init; }
    /// <summary>Client replies nobody had opened before this visit.</summary>
    public required IReadOnlySet<int> Unread { get; init; }
    public required IReadOnlyList<Event> Events { get; init; }
    /// <summary>Every call to a provider for the project's messages, newest first.</summary>
    public required IReadOnlyList<Attempt> Attempts { get; init; }
    /// <summary>The project's documents both ways (SPEC §14), newest first, each with its downloads.</summary>
    public IReadOnlyList<Document> Documents { get; init; } = [];

    public sealed record Client(Contact Contact, OptOut? OptOut)
    {
        public bool OptedOut => OptOut is { Active: true };
    }

    public sealed record Event(CalendarEvent CalendarEvent, IReadOnlyList<ReminderState> Reminders);

    public sealed record ReminderState(Reminder Reminder, string Status, string? Reason, IReadOnlyList<OutboxItem> Deliveries);

    public sealed record Attempt(DeliveryAttempt Call, int? MessageId, Channel Channel, string To);

    public static async Task<ProjectView?> LoadAsync(CasewireDb db, int companyId, int projectId, CancellationToken ct)
    {
        var project = await db.Projects.AsNoTracking()
            .Include(p => p.ProjectType).Include(p => p.Phase)
            .Include(p => p.Clients.OrderBy(c => c.Position)).ThenInclude(c => c.Contact)
            .AsSplitQuery()
            .ForCompany(companyId).FirstOrDefaultAsync(p => p.Id == projectId, ct);
        if (project is null) return null;
        var company = await db.Companies.AsNoTracking().SingleAsync(c => c.Id == companyId, ct);

        var phases = await db.Phases.AsNoTracking().Include(p => p.Triggers)
            .Where(p => p.ProjectTypeId == project.ProjectTypeId).OrderBy(p => p.Step).ToListAsync(ct);
        var key = PartnerNames.Normalize(project.PartnerPhaseName);
        var waiting = !phases.Any(p => p.Triggers.Any(t => t.NormalizedName == key));

        var phones = project.Clients.Where(c => c.Contact.Phone is not null).Select(c => c.Contact.Phone!).ToList();
        var optOuts = phones.Count == 0 ? [] : await db.OptOuts.AsNoTracking()
            .ForCompany(companyId).Where(o => phones.Contains(o.Phone)).ToListAsync(ct);

        var conversation = await db.Messages.AsNoTracking().Include(m => m.Deliveries)
            .ForCompany(companyId).Where(m => m.ProjectId == projectId)
            .OrderBy(m => m.Id).AsSplitQuery().ToListAsync(ct);

        var attempts = await (
                from a in db.DeliveryAttempts.AsNoTracking()
                join o in db.OutboxItems.ForCompany(companyId) on a.OutboxItemId equals o.Id
                where o.Message!.ProjectId == projectId
                orderby a.StartedAt descending, a.Id descending
                select new Attempt(a, o.MessageId, o.Channel, o.To))
            .ToListAsync(ct);

        return new ProjectView
        {
            Company = company,
            Zone = CompanyTime.Of(company.TimeZone).Zone,
            Project = project,
            Phases = phases,
            WaitingOnUnmappedPhase = waiting,
            Clients = project.Clients.OrderBy(c => c.Position)
                .Select(c => new Client(c.Contact, optOuts.FirstOrDefault(o => o.Phone == c.Contact.Phone))).ToList(),
            Conversation = conversation,
            Unread = conversation.Where(m => m.Direction == MessageDirection.Inbound && m.ReadAt is null).Select(m => m.Id).ToHashSet(),
            Events = await EventsAsync(db, companyId, projectId, ct),
            Attempts = attempts,
            Documents = await db.Documents.AsNoTracking().Include(d => d.Downloads.OrderBy(x => x.Id))
                .ForCompany(companyId).Where(d => d.ProjectId == projectId).OrderByDescending(d => d.Id).ToListAsync(ct),
        };
    }

    /// <summary>The project's events, soonest first, each reminder with the status the Partner API reports and its deliveries.</summary>
    static async Task<List<Event>> EventsAsync(CasewireDb db, int companyId, int projectId, CancellationToken ct)
    {
        var events = await db.CalendarEvents.AsNoTracking().Include(e => e.Reminders)
            .ForCompany(companyId).Where(e => e.ProjectId == projectId)
            .OrderBy(e => e.StartAt).ThenBy(e => e.Id).AsSplitQuery().ToListAsync(ct);
        var messageIds = events.SelectMany(e => e.Reminders).Where(r => r.MessageId is not null).Select(r => r.MessageId!.Value).ToList();
        var deliveries = messageIds.Count == 0 ? [] : await db.OutboxItems.AsNoTracking()
            .ForCompany(companyId).Where(o => messageIds.Contains(o.MessageId!.Value)).OrderBy(o => o.Id).ToListAsync(ct);
        return events.Select(e => new Event(e, e.Reminders.Where(r => ReminderStates.IsCurrent(e, r)).OrderBy(r => r.SendAt).Select(r =>
        {
            var mine = deliveries.Where(d => d.MessageId == r.MessageId).ToList();
            var (status, reason) = ReminderStates.Of(r, mine.Select(d => d.Status).ToList());
            return new ReminderState(r, status, reason, mine);
        }).ToList())).ToList();
    }
}
