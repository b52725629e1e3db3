using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Casewire.Data;

sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> e)
    {
        e.Property(x => x.AuthorName).HasMaxLength(Limits.Name);
        e.Property(x => x.Text).HasMaxLength(Limits.MessageText);
        e.Property(x => x.Subject).HasMaxLength(Limits.Name);
        e.Property(x => x.FromAddress).HasMaxLength(Limits.Email);
        e.Property(x => x.ProviderMessageId).HasMaxLength(100);
        e.HasIndex(x => x.ProviderMessageId).IsUnique().HasFilter("\"ProviderMessageId\" IS NOT NULL");
        // A project's conversation, newest first.
        e.HasIndex(x => new { x.CompanyId, x.ProjectId, x.Id });
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId);
        // History outlives a phase an admin removes.
        e.HasOne(x => x.Phase).WithMany().HasForeignKey(x => x.PhaseId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<TeamMember>().WithMany().HasForeignKey(x => x.AuthorTeamMemberId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<Contact>().WithMany().HasForeignKey(x => x.AuthorContactId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.AuthorStaffUserId).OnDelete(DeleteBehavior.SetNull);
        // Unread client replies (dashboard, staff notifications).
        e.HasIndex(x => new { x.CompanyId, x.Direction, x.ReadAt });
        // The delivery log's inbound side, newest first (Company App).
        e.HasIndex(x => new { x.CompanyId, x.Direction, x.Id });
        e.HasMany(x => x.Deliveries).WithOne(x => x.Message).HasForeignKey(x => x.MessageId);
    }
}

sealed class OutboxItemConfiguration : IEntityTypeConfiguration<OutboxItem>
{
    public void Configure(EntityTypeBuilder<OutboxItem> e)
    {
        e.Property(x => x.To).HasMaxLength(2048);
        // Status callbacks and the dispatcher may both move an item on: a lost update is refused.
        e.Property(x => x.Status).IsConcurrencyToken();
        e.Property(x => x.From).HasMaxLength(Limits.Email);
        e.Property(x => x.Subject).HasMaxLength(Limits.Name);
        e.Property(x => x.CoalescingKey).HasMaxLength(200);
        e.Property(x => x.LeaseOwner).HasMaxLength(100);
        e.Property(x => x.ProviderMessageId).HasMaxLength(100);
        e.Property(x => x.ErrorCode).HasMaxLength(50);
        e.Property(x => x.ErrorMessage).HasMaxLength(1000);
        // The dispatcher's two questions, per lane, each answered by a small partial index: what is due (a lane's
        // pending items by AvailableAt) and whose lease has run out (its sending items by LeaseExpiresAt). The channel
        // leads, so a claim reads its lane's first items in order and stops at its limit whatever the planner's
        // statistics say: with the time alone, PostgreSQL planning on a table analyzed before a 100,000-item backlog
        // arrived chose to read every due item and sort them on disk, 15 ms a claim (docs/decisions.md).
        e.HasIndex(x => new { x.Channel, x.AvailableAt }).HasFilter("\"Status\" = 'Pending'").HasDatabaseName("IX_OutboxItems_Due");
        e.HasIndex(x => new { x.Channel, x.LeaseExpiresAt }).HasFilter("\"Status\" = 'Sending'").HasDatabaseName("IX_OutboxItems_Leased");
        e.HasIndex(x => new { x.CompanyId, x.CoalescingKey }).HasFilter("\"CoalescingKey\" IS NOT NULL");
        e.HasIndex(x => x.MessageId);
        e.HasIndex(x => x.ProviderMessageId).HasFilter("\"ProviderMessageId\" IS NOT NULL");
        e.HasIndex(x => new { x.CompanyId, x.Id });
        // The dashboard's deliveries per day: what left in the last 14 days (written once, when sent).
        e.HasIndex(x => new { x.CompanyId, x.SentAt });
        // An endpoint's calls, newest first: its delivery log. (Its pending ones are found through IX_OutboxItems_Due.)
        e.Property(x => x.WebhookId).HasMaxLength(50);
        e.HasIndex(x => new { x.WebhookEndpointId, x.Id }).HasFilter("\"WebhookEndpointId\" IS NOT NULL");
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne<Contact>().WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.SetNull);
        e.HasOne<TeamMember>().WithMany().HasForeignKey(x => x.TeamMemberId).OnDelete(DeleteBehavior.SetNull);
    }
}

sealed class DeliveryAttemptConfiguration : IEntityTypeConfiguration<DeliveryAttempt>
{
    public void Configure(EntityTypeBuilder<DeliveryAttempt> e)
    {
        e.Property(x => x.Instance).HasMaxLength(100);
        e.Property(x => x.ProviderMessageId).HasMaxLength(100);
        e.Property(x => x.ErrorCode).HasMaxLength(50);
        e.Property(x => x.ErrorMessage).HasMaxLength(1000);
        e.HasIndex(x => new { x.OutboxItemId, x.Number }).IsUnique();
        e.HasOne<OutboxItem>().WithMany().HasForeignKey(x => x.OutboxItemId);
    }
}

sealed class OptOutConfiguration : IEntityTypeConfiguration<OptOut>
{
    public void Configure(EntityTypeBuilder<OptOut> e)
    {
        e.Property(x => x.Phone).HasMaxLength(Limits.Phone);
        e.Property(x => x.Keyword).HasMaxLength(20);
        e.HasIndex(x => new { x.CompanyId, x.Phone }).IsUnique();
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
    }
}

sealed class SenderBudgetConfiguration : IEntityTypeConfiguration<SenderBudget>
{
    public void Configure(EntityTypeBuilder<SenderBudget> e)
    {
        e.HasKey(x => x.Sender);
        e.Property(x => x.Sender).HasMaxLength(Limits.Email);
    }
}

sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> e)
    {
        e.Property(x => x.Key).HasMaxLength(255);
        e.Property(x => x.Endpoint).HasMaxLength(255);
        e.Property(x => x.RequestHash).HasMaxLength(64);
        e.Property(x => x.Location).HasMaxLength(1024);
        e.HasIndex(x => new { x.CompanyId, x.Key }).IsUnique();
        e.HasIndex(x => x.CreatedAt);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
    }
}
