using System.Diagnostics.CodeAnalysis;
using Casewire.MassMessages;
using Casewire.Milestones;
using Casewire.Model;
using Casewire.Time;
using Casewire.Validation;

namespace Casewire.CompanyApp;

/// <summary>
/// The Company App's mass-message composer as posted (SPEC §12): the filter's fields, the text, and when to send — now,
/// within the delivery window, or at a local date and time in the company's zone. It reads into the same
/// <see cref="MassMessageWriter.Draft"/> the API builds; the rules are <see cref="MassMessageFilter.Read"/>,
/// <see cref="Template.TryParse"/> and <see cref="MassMessageWriter.DueAt"/>.
/// </summary>
sealed class MassMessageForm
{
    public const string Now = "now", Window = "window", At = "at";
    /// <summary>The key of the filter's errors on the page (one message box for all its fields).</summary>
    public const string Filter = "Filter";

    public List<string> ProjectTypes { get; set; } = [];
    public List<string> Phases { get; set; } = [];
    public List<string> Statuses { get; set; } = [];
    /// <summary>"on", "off", or empty for either.</summary>
    public string? Milestones { get; set; }
    /// <summary>Project externalIds, one a line (or separated by commas).</summary>
    public string? ProjectIds { get; set; }
    public string? Text { get; set; }
    public string? When { get; set; } = Now;
    /// <summary>For <see cref="At"/>: the local date and time (<c>2031-05-01T09:00</c>, an HTML datetime-local).</summary>
    public string? SendAt { get; set; }
    public bool KeepOutOfConversations { get; set; }

    /// <summary>The form filled from an earlier mass message ("copy"): its filter, text and conversation choice.</summary>
    public static MassMessageForm CopyOf(MassMessage mass)
    {
        var filter = MassMessageFilter.FromJson(mass.Filter);
        return new MassMessageForm
        {
            ProjectTypes = [.. filter.ProjectTypes ?? []], Phases = [.. filter.Phases ?? []], Statuses = [.. filter.Statuses ?? []],
            Milestones = filter.MilestonesEnabled switch { true => "on", false => "off", null => "" },
            ProjectIds = filter.ProjectIds is { } ids ? string.Join("\n", ids) : null,
            Text = mass.Text, KeepOutOfConversations = mass.KeepOutOfConversations,
        };
    }

    /// <summary>The filter alone (for the live count); errors keyed <c>Filter</c>.</summary>
    public MassMessageFilter? ReadFilter(FieldErrors errors)
    {
        var ids = (ProjectIds ?? "").Split(['\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var milestones = Milestones switch { "on" => true, "off" => (bool?)false, _ => null };
        var fieldErrors = new FieldErrors();
        var filter = new MassMessageFilter(None(ProjectTypes), None(Phases), None(Statuses), milestones, ids.Length == 0 ? null : ids)
            .Read("filter", fieldErrors);
        foreach (var (field, messages) in fieldErrors.ToDictionary())
            foreach (var message in messages)
                errors.Add(Filter, field == "filter"
                    ? "Choose whom to write to: a project type, a phase, a status, milestones on or off, or projects. " +
                      "An empty filter would text every client, so it is refused."
                    : message);
        return filter;
    }

    /// <summary>Only the text, parsed (for the preview); null when it does not parse.</summary>
    public Template? ReadTemplate() => Template.TryParse(Text, out var template, out _) ? template : null;

    public bool TryRead(Company company, DateTimeOffset now, [NotNullWhen(true)] out MassMessageWriter.Draft? draft, out FieldErrors errors)
    {
        errors = new FieldErrors();
        var filter = ReadFilter(errors);
        if (!Template.TryParse(Text, out var template, out var textErrors))
            foreach (var error in textErrors) errors.Add(nameof(Text), error);
        EventTimes.Parsed? at = null;
        if (When == At)
        {
            at = EventTimes.Parse(SendAt);
            if (at is not EventTimes.Local || !EventTimes.IsSupported(at))
                errors.Add(nameof(SendAt), "Choose the date and time to send, in your firm's time zone.");
            else if (MassMessageWriter.DueAt(company, at, withinDeliveryWindow: false, now) <= now)
                errors.Add(nameof(SendAt), "That time has passed; choose a later one, or send now.");
        }
        else if (When is not (Now or Window))
            errors.Add(nameof(When), "Choose when to send: now, within the delivery window, or at a date and time.");
        draft = errors.Any ? null
            : new MassMessageWriter.Draft(template, filter!, MassMessageWriter.DueAt(company, at, When == Window, now), When == Window, KeepOutOfConversations);
        return draft is not null;
    }

    /// <summary>Unticked boxes post nothing; a list of nothing is a field not given.</summary>
    static List<string>? None(List<string> values) => values.Count == 0 ? null : values;
}
