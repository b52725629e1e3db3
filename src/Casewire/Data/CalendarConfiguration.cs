using Casewire.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Casewire.Data;

sealed class CalendarEventConfiguration : IEntityTypeConfiguration<CalendarEvent>
{
    public void Configure(EntityTypeBuilder<CalendarEvent> e)
    {
        e.Property(x => x.ExternalId).HasMaxLength(Limits.ExternalId);
        e.HasIndex(x => new { x.CompanyId, x.ExternalId }).IsUnique();
        e.HasIndex(x => new { x.ProjectId, x.StartAt });
        e.Property(x => x.Title).HasMaxLength(Limits.Name);
        e.Property(x => x.Description).HasMaxLength(Limits.MessageText);
        e.Property(x => x.Location).HasMaxLength(Limits.Name);
        e.Property(x => x.TimeZone).HasMaxLength(64);
        e.HasOne<Company>().WithMany().HasForeignKey(x => x.CompanyId);
        e.HasOne(x => x.Project).WithMany().HasForeignKey(x => x.ProjectId);
        e.HasMany(x => x.Attendees).WithOne().HasForeignKey(x => x.EventId);
        e.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.EventId);
        e.HasMany(x => x.Reminders).WithOne().HasForeignKey(x => x.EventId);
    }
}

sealed class EventAttendeeConfiguration : IEntityTypeConfiguration<EventAttendee>
{
    public void Configure(EntityTypeBuilder<EventAttendee> e)
    {
        e.HasKey(x => new { x.EventId, x.ContactId });
        e.HasOne(x => x.Contact).WithMany().HasForeignKey(x => x.ContactId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class EventMemberConfiguration : IEntityTypeConfiguration<EventMember>
{
    public void Configure(EntityTypeBuilder<EventMember> e)
    {
        e.HasKey(x => new { x.EventId, x.TeamMemberId });
        e.HasOne(x => x.TeamMember).WithMany().HasForeignKey(x => x.TeamMemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

sealed class ReminderConfiguration : IEntityTypeConfiguration<Reminder>
{
    public void Configure(EntityTypeBuilder<Reminder> e)
    {
        e.Property(x => x.Reason).HasMaxLength(50);
        e.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.SetNull);
        e.Ignore(x => x.Offset);
    }
}
