using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Casewire.Data;

sealed class MassMessageConfiguration : IEntityTypeConfiguration<MassMessage>
{
    public void Configure(EntityTypeBuilder<MassMessage> e)
    {
        e.Property(x => x.Text).HasMaxLength(Limits.MessageText);
        e.Property(x => x.AuthorName).HasMaxLength(Limits.Name);
        // The history and the API's list, newest first.
        e.HasIndex(x => new { x.CompanyId, x.Id });
        // The ones still under way: the sweep that completes a mass message both of its last senders missed.
        e.HasIndex(x => x.Id).HasFilter("\"CompletedAt\" IS NULL").HasDatabaseName("IX_MassMessages_Incomplete");
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.AuthorStaffUserId).OnDelete(DeleteBehavior.SetNull);
        // Counting and canceling a mass message's deliveries.
        e.HasMany<OutboxItem>().WithOne().HasForeignKey(x => x.MassMessageId);
    }
}

sealed class MessageTemplateConfiguration : IEntityTypeConfiguration<MessageTemplate>
{
    public void Configure(EntityTypeBuilder<MessageTemplate> e)
    {
        e.Property(x => x.Name).HasMaxLength(Limits.Name);
        e.Property(x => x.Text).HasMaxLength(Limits.MessageText);
        e.HasIndex(x => new { x.CompanyId, x.Name }).IsUnique();
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
    }
}

sealed class ConversationStateConfiguration : IEntityTypeConfiguration<ConversationState>
{
    public void Configure(EntityTypeBuilder<ConversationState> e)
    {
        e.HasIndex(x => new { x.CompanyId, x.ProjectId }).IsUnique();
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne<Project>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        e.HasOne<StaffUser>().WithMany().HasForeignKey(x => x.AssignedStaffUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
