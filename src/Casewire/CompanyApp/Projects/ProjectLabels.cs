using Casewire.Model;

namespace Casewire.CompanyApp.Projects;

/// <summary>Words of the project and project-type pages (authors, preferences, attempts); times, statuses, kinds and channels are <see cref="Display"/>'s and <see cref="CompanyTime"/>'s.</summary>
static class ProjectLabels
{
    /// <summary>The author kinds of <see cref="MessageNames.AuthorKind"/>, in words.</summary>
    public static string AuthorKind(string kind) => kind switch
    {
        "team-member" => "team member",
        "staff" => "staff",
        "client" => "client",
        "casewire" => "Casewire",
        _ => "CRM",
    };

    public static string Preference(NotificationPreference? preference) => preference switch
    {
        NotificationPreference.Sms => "SMS",
        NotificationPreference.Email => "Email",
        NotificationPreference.Both => "SMS and email",
        _ => "Default",
    };

    public static string Status(ProjectStatus status) => status.Canonical();

    public static string Outcome(AttemptOutcome? outcome) => outcome switch
    {
        null => "in flight",
        AttemptOutcome.TransientFailure => "failed, will retry",
        AttemptOutcome.PermanentFailure => "failed",
        AttemptOutcome.Ambiguous => "answer lost, checking with the provider",
        _ => outcome.Value.ToString().ToLowerInvariant(),
    };

    public static string Plural(int count, string one, string many) => count == 1 ? $"1 {one}" : $"{count} {many}";
}
