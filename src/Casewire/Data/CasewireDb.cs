using Casewire.Model;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Casewire.Data;

/// <summary>
/// The one database. Provider-specific subclasses (<see cref="SqliteCasewireDb"/>,
/// <see cref="PostgresCasewireDb"/>) exist only so each provider has its own migration set
/// generated from this same model.
/// </summary>
abstract class CasewireDb(DbContextOptions options) : IdentityUserContext<StaffUser, int>(options), IDataProtectionKeyContext
{
    public DbSet<Company> Companies => Set<Company>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<TeamMember> TeamMembers => Set<TeamMember>();
    public DbSet<Project> Projects => Set<Project>();
    public DbSet<ProjectClient> ProjectClients => Set<ProjectClient>();
    public DbSet<ProjectType> ProjectTypes => Set<ProjectType>();
    public DbSet<Phase> Phases => Set<Phase>();
    public DbSet<PhaseTrigger> PhaseTriggers => Set<PhaseTrigger>();
    public DbSet<UnmappedPhaseName> UnmappedPhaseNames => Set<UnmappedPhaseName>();
    public DbSet<PhaseChange> PhaseChanges => Set<PhaseChange>();
    public DbSet<PhaseDrip> PhaseDrips => Set<PhaseDrip>();
    public DbSet<Message> Messages => Set<Message>();
    public DbSet<OutboxItem> OutboxItems => Set<OutboxItem>();
    public DbSet<DeliveryAttempt> DeliveryAttempts => Set<DeliveryAttempt>();
    public DbSet<OptOut> OptOuts => Set<OptOut>();
    public DbSet<SenderBudget> SenderBudgets => Set<SenderBudget>();
    public DbSet<WebhookEndpoint> WebhookEndpoints => Set<WebhookEndpoint>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<CalendarEvent> CalendarEvents => Set<CalendarEvent>();
    public DbSet<EventAttendee> EventAttendees => Set<EventAttendee>();
    public DbSet<EventMember> EventMembers => Set<EventMember>();
    public DbSet<Reminder> Reminders => Set<Reminder>();
    public DbSet<PortalShortLink> PortalShortLinks => Set<PortalShortLink>();
    public DbSet<LocalizedText> LocalizedTexts => Set<LocalizedText>();
    public DbSet<Survey> Surveys => Set<Survey>();
    public DbSet<MassMessage> MassMessages => Set<MassMessage>();
    public DbSet<MessageTemplate> MessageTemplates => Set<MessageTemplate>();
    public DbSet<ConversationState> ConversationStates => Set<ConversationState>();
    public DbSet<Document> Documents => Set<Document>();
    public DbSet<DocumentDownload> DocumentDownloads => Set<DocumentDownload>();
    /// <summary>ASP.NET Core Data Protection's key ring (portal links), shared by every instance.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// The channels of the outbox rows this context wrote (Outbox.Enqueue); emptied when they are committed and the
    /// dispatcher lanes of those channels woken (OutboxWriteInterceptor).
    /// </summary>
    internal HashSet<Channel> OutboxWritten { get; } = [];

    /// <summary>
    /// Saves. A request that cancels or supersedes a pending outbox item (<see cref="OutboxItem.End"/>) can lose the
    /// item to a dispatcher's claim between its read and this save (the item's status is a concurrency token). Then
    /// (SPEC §10) the item takes what the database says, and the request's intent still holds where it can: an item
    /// pending again is ended after all; one in flight may finish this send (the dispatcher won) but expires instead
    /// of being retried or deferred past the request's moment. The rest is saved again, instead of a
    /// <see cref="DbUpdateConcurrencyException"/> reaching the caller; any other conflict is thrown as before. A
    /// failed save changed nothing (EF rolls back its own transaction, or to its savepoint inside the caller's).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        for (var round = 1; ; round++)
        {
            try
            {
                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            catch (DbUpdateConcurrencyException e) when (round < 5 && e.Entries.All(entry => entry.Entity is OutboxItem { Ending: not null }))
            {
                foreach (var entry in e.Entries) await StandDownAsync(entry, (OutboxItem)entry.Entity, cancellationToken);
            }
        }
    }

    /// <summary>Takes the database's version of an item a request ended, and applies what of the ending still can be.</summary>
    static async Task StandDownAsync(EntityEntry entry, OutboxItem item, CancellationToken ct)
    {
        var (status, at) = item.Ending!.Value;
        var stored = await entry.GetDatabaseValuesAsync(ct);
        if (stored is null)
        {
            entry.State = EntityState.Detached;
            return;
        }
        entry.OriginalValues.SetValues(stored);
        entry.CurrentValues.SetValues(stored);
        entry.State = EntityState.Unchanged;
        if (item.Status == DeliveryStatus.Pending) item.Status = status;
        else if (item.Status == DeliveryStatus.Sending && !(item.ExpiresAt <= at)) item.ExpiresAt = at;
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(CasewireDb).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // Enums are stored by name: readable in SQL and stable if members are reordered.
        conventions.Properties<ProjectStatus>().HaveConversion<string>().HaveMaxLength(20);
        conventions.Properties<NotificationPreference>().HaveConversion<string>().HaveMaxLength(10);
        conventions.Properties<DeliveryWindow>().HaveConversion<string>().HaveMaxLength(20);
        conventions.Properties<StaffRole>().HaveConversion<string>().HaveMaxLength(20);
        conventions.Properties<Channel>().HaveConversion<string>().HaveMaxLength(10);
        conventions.Properties<DeliveryStatus>().HaveConversion<string>().HaveMaxLength(20);
        conventions.Properties<AttemptOutcome>().HaveConversion<string>().HaveMaxLength(20);
        conventions.Properties<MessageDirection>().HaveConversion<string>().HaveMaxLength(10);
        conventions.Properties<MessageKind>().HaveConversion<string>().HaveMaxLength(20);
        conventions.Properties<ReminderUnit>().HaveConversion<string>().HaveMaxLength(10);
        conventions.Properties<ReminderStatus>().HaveConversion<string>().HaveMaxLength(20);
    }
}
