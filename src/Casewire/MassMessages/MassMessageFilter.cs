using System.Text.Json;
using Casewire.Model;
using Casewire.Validation;

namespace Casewire.MassMessages;

/// <summary>
/// Who a mass message is for (SPEC §12): projects of these types, in these phases, with these statuses,
/// with milestones on or off, or these projects by externalId. Each list matches any of its values; the
/// fields given combine as AND. Names match as the CMS's names do (<see cref="PartnerNames.Normalize"/>):
/// a phase by its client-facing name or by the CMS's phase name. At least one field must be given, so a
/// mistake never texts every client.
/// </summary>
sealed record MassMessageFilter(
    IReadOnlyList<string>? ProjectTypes = null,
    IReadOnlyList<string>? Phases = null,
    IReadOnlyList<string>? Statuses = null,
    bool? MilestonesEnabled = null,
    IReadOnlyList<string>? ProjectIds = null)
{
    /// <summary>The most values one list may hold (an explicit list of every project of a large firm still fits).</summary>
    public const int MaxValues = 20_000;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public bool IsEmpty => ProjectTypes is null && Phases is null && Statuses is null && MilestonesEnabled is null && ProjectIds is null;

    /// <summary>
    /// Trims the values, drops blank ones and reads empty lists as absent; checks the statuses and the lengths. The errors
    /// are keyed <c>{field}.{name}</c> (e.g. <c>filter.statuses</c>), or <c>{field}</c> when nothing is given.
    /// </summary>
    public MassMessageFilter? Read(string field, FieldErrors errors)
    {
        var types = Clean($"{field}.projectTypes", ProjectTypes, Limits.Name, errors);
        var phases = Clean($"{field}.phases", Phases, Limits.Name, errors);
        var statuses = Clean($"{field}.statuses", Statuses, Limits.Name, errors);
        var ids = Clean($"{field}.projectIds", ProjectIds, Limits.ExternalId, errors);
        foreach (var status in statuses ?? [])
            if (ProjectStatusNames.Parse(status) is null)
                errors.Add($"{field}.statuses", $"{field}.statuses: '{FieldErrors.Shorten(status)}' is not a project status; use Not Started, In Progress or Completed.");
        var read = new MassMessageFilter(types, phases, statuses?.Select(s => ProjectStatusNames.Parse(s)?.Canonical() ?? s).Distinct().ToList(),
            MilestonesEnabled, ids);
        if (read.IsEmpty)
            errors.Add(field, $"{field} must name at least one of projectTypes, phases, statuses, milestonesEnabled or projectIds; " +
                              "an empty filter would text every client, so it is refused.");
        return errors.Any ? null : read;
    }

    static List<string>? Clean(string field, IReadOnlyList<string>? values, int max, FieldErrors errors)
    {
        if (values is null) return null;
        if (values.Count > MaxValues) errors.Add(field, $"{field} has {values.Count} values; at most {MaxValues} are accepted.");
        var clean = values.Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).Distinct().ToList();
        foreach (var value in clean.Where(v => v.Length > max).Take(1))
            errors.Add(field, $"{field}: '{FieldErrors.Shorten(value)}' is {value.Length} characters long; at most {max} are accepted.");
        return clean.Count == 0 ? null : clean;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>A stored filter; a row that somehow does not read gives an empty filter (shown, never sent again as is).</summary>
    public static MassMessageFilter FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<MassMessageFilter>(json, Json) ?? new MassMessageFilter();
        }
        catch (JsonException)
        {
            return new MassMessageFilter();
        }
    }
}
