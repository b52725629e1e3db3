namespace Casewire.Delivery.Webhooks;

/// <summary>
/// The events a webhook endpoint can receive (README "Webhooks"), and its filter: a comma-separated
/// list of types, or null for all of them (so an endpoint made today also receives types added later).
/// </summary>
static class WebhookEventTypes
{
    public const string MessageStatusChanged = "message.status_changed";
    public const string MessageReceived = "message.received";
    public const string ContactOptedOut = "contact.opted_out";
    public const string ContactOptedIn = "contact.opted_in";
    public const string ReminderSent = "reminder.sent";
    public const string ProjectPhaseChanged = "project.phase_changed";
    public const string FeedbackReceived = "feedback.received";
    public const string MassMessageCompleted = "mass_message.completed";

    public static readonly IReadOnlyList<string> All =
        [MessageStatusChanged, MessageReceived, ContactOptedOut, ContactOptedIn, ReminderSent, ProjectPhaseChanged, FeedbackReceived, MassMessageCompleted];

    /// <summary>True when an endpoint with filter <paramref name="events"/> receives <paramref name="type"/>.</summary>
    public static bool Matches(string? events, string type) =>
        events is null || events.Split(',').Contains(type, StringComparer.Ordinal);

    /// <summary>
    /// Reads <c>--events a,b</c>: null (every type) for nothing, <c>*</c> or <c>all</c>; otherwise the
    /// known types, deduplicated, in their canonical order. Unknown names are returned in <paramref name="unknown"/>.
    /// </summary>
    public static string? Parse(string? value, out IReadOnlyList<string> unknown)
    {
        unknown = [];
        var names = (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).ToList();
        if (names.Count == 0 || names.Any(n => n is "*" or "all")) return null;
        unknown = names.Where(n => !All.Contains(n)).Distinct().ToList();
        return string.Join(',', All.Where(names.Contains));
    }

    /// <summary>How a filter reads in listings.</summary>
    public static string Describe(string? events) => events is null ? "*" : events;
}
