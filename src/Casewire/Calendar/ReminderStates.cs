using Casewire.Model;

namespace Casewire.Calendar;

/// <summary>What a reminder came to, in the words the Partner API, the project page and the webhooks share.</summary>
static class ReminderStates
{
    /// <summary>Reminders replaced by a re-plan, or canceled with an event since re-activated, are history, not state.</summary>
    public static bool IsCurrent(CalendarEvent ev, Reminder r) =>
        r.Status != ReminderStatus.Canceled || r.Reason == "removed" || (r.Reason == "event-canceled" && ev.CanceledAt is not null);

    /// <summary>A reminder's state for the integrator (and the project page): Casewire's decision, or what its deliveries came to.</summary>
    public static (string Status, string? Reason) Of(Reminder reminder, List<DeliveryStatus> deliveries) => reminder.Status switch
    {
        ReminderStatus.Skipped => ("skipped", reminder.Reason),
        ReminderStatus.Canceled => ("canceled", reminder.Reason),
        _ when deliveries.Any(d => d is DeliveryStatus.Sent or DeliveryStatus.Delivered) => ("sent", null),
        _ when deliveries.Any(d => d is DeliveryStatus.Pending or DeliveryStatus.Sending) => ("scheduled", null),
        _ when deliveries.Count > 0 && deliveries.All(d => d == DeliveryStatus.Expired) => ("expired", "event-started"),
        _ when deliveries.Count > 0 => ("failed", null),
        _ => ("scheduled", null),
    };
}
