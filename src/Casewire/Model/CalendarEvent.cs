namespace Casewire.Model;

/// <summary>A hearing, deposition or appointment from the CMS (SPEC §5), keyed by the CMS's event id.</summary>
sealed class CalendarEvent : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>The CMS's id of the event.</summary>
    public required string ExternalId { get; set; }
    public int ProjectId { get; set; }
    public Project Project { get; set; } = null!;
    public required string Title { get; set; }
    public string? Description { get; set; }
    public string? Location { get; set; }
    public DateTimeOffset StartAt { get; set; }
    public DateTimeOffset EndAt { get; set; }
    /// <summary>The resolved IANA zone (or fixed-offset zone) the event's times are shown in.</summary>
    public required string TimeZone { get; set; }
    public DateTimeOffset? CanceledAt { get; set; }
    /// <summary>Bumped on every change that calendar apps must see (RFC 5545 SEQUENCE).</summary>
    public int Sequence { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<EventAttendee> Attendees { get; set; } = [];
    public List<EventMember> Members { get; set; } = [];
    public List<Reminder> Reminders { get; set; } = [];
}

/// <summary>A client attending an event.</summary>
sealed class EventAttendee
{
    public int EventId { get; set; }
    public int ContactId { get; set; }
    public Contact Contact { get; set; } = null!;
}

/// <summary>A team member on an event: assigned to the project (<c>teamMembers</c>) or not (<c>otherMembers</c>).</summary>
sealed class EventMember
{
    public int EventId { get; set; }
    public int TeamMemberId { get; set; }
    public TeamMember TeamMember { get; set; } = null!;
    public bool AssignedToProject { get; set; }
}

/// <summary>
/// A reminder of an event, due <see cref="Amount"/> <see cref="Unit"/>s before it starts. Its
/// deliveries are the outbox items of its <see cref="MessageId"/>; whether it was sent is read from them.
/// </summary>
sealed class Reminder
{
    public int Id { get; set; }
    public int EventId { get; set; }
    public ReminderUnit Unit { get; set; }
    public int Amount { get; set; }
    public DateTimeOffset SendAt { get; set; }
    public ReminderStatus Status { get; set; }
    /// <summary>Why it was skipped or canceled (<c>past-due</c>, <c>no-recipients</c>, <c>removed</c>, <c>event-canceled</c>).</summary>
    public string? Reason { get; set; }
    public int? MessageId { get; set; }
    public Message? Message { get; set; }

    public TimeSpan Offset => Unit switch
    {
        ReminderUnit.Minute => TimeSpan.FromMinutes(Amount),
        ReminderUnit.Hour => TimeSpan.FromHours(Amount),
        _ => TimeSpan.FromDays(Amount),
    };
}

enum ReminderUnit
{
    Minute,
    Hour,
    Day,
}

/// <summary>What Casewire decided for a reminder; <c>sent</c> and <c>expired</c> are read from its deliveries.</summary>
enum ReminderStatus
{
    Scheduled,
    Skipped,
    Canceled,
}
