using System.Diagnostics.CodeAnalysis;
using Casewire.MassMessages;
using Casewire.Milestones;
using Casewire.Time;
using Casewire.Validation;

namespace Casewire.Partner;

/// <summary>
/// The body of <c>POST /partner/v2/mass-messages</c> (SPEC §12). <c>sendAt</c>: an ISO 8601 instant with offset, or a
/// wall-clock time (<c>2031-05-01T09:00</c>) read in the company's time zone; null or absent is now.
/// <c>withinDeliveryWindow</c> (extension) moves the due time into the company's delivery window (SPEC §6).
/// </summary>
sealed record MassMessageRequest(
    string? Text,
    MassMessageFilter? Filter,
    string? SendAt,
    bool? WithinDeliveryWindow,
    bool? KeepOutOfConversations)
{
    public bool TryRead([NotNullWhen(true)] out MassMessageInput? input, out FieldErrors errors)
    {
        errors = new FieldErrors();
        if (!Template.TryParse(Text, out var template, out var textErrors))
            foreach (var error in textErrors) errors.Add("text", $"text: {error}");
        MassMessageFilter? filter = null;
        if (Filter is null)
            errors.Add("filter", "filter is required: an object with at least one of projectTypes, phases, statuses, milestonesEnabled or projectIds.");
        else filter = Filter.Read("filter", errors);
        var sendAt = EventTimes.Parse(SendAt);
        if (!string.IsNullOrWhiteSpace(SendAt) && (sendAt is null || !EventTimes.IsSupported(sendAt)))
            errors.Add("sendAt", $"sendAt: '{FieldErrors.Shorten(SendAt)}' is not a date and time; use ISO 8601 with an offset " +
                                 "(2031-05-01T09:00:00-04:00) or a local time in the company's zone (2031-05-01T09:00), or null for now.");
        input = errors.Any ? null : new MassMessageInput(template, filter!, sendAt, WithinDeliveryWindow ?? false, KeepOutOfConversations ?? false);
        return input is not null;
    }
}

sealed record MassMessageInput(Template Template, MassMessageFilter Filter, EventTimes.Parsed? SendAt, bool WithinDeliveryWindow, bool KeepOutOfConversations);

/// <summary>A mass message as the API shows it: what was asked, whom it reached and skipped, and its deliveries counted by status.</summary>
sealed record MassMessageResponse(
    int Id, string Status, string Text, MassMessageFilter Filter, DateTimeOffset SendAt, bool WithinDeliveryWindow, bool KeepOutOfConversations,
    int Recipients, MassMessageResponse.SkippedCounts Skipped, IReadOnlyDictionary<string, int> Counts, DateTimeOffset CreatedAt,
    DateTimeOffset? CanceledAt, DateTimeOffset? CompletedAt)
{
    public sealed record SkippedCounts(int OptedOut, int Unreachable, int Duplicate);

    public static MassMessageResponse Of(Model.MassMessage m, IReadOnlyDictionary<string, int> counts, DateTimeOffset now) => new(
        m.Id, m.StatusAt(now), m.Text, MassMessageFilter.FromJson(m.Filter), m.SendAt, m.WithinDeliveryWindow, m.KeepOutOfConversations,
        m.Recipients, new SkippedCounts(m.SkippedOptedOut, m.SkippedUnreachable, m.SkippedDuplicate), counts, m.CreatedAt, m.CanceledAt,
        m.CompletedAt);
}
