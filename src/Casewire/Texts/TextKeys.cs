namespace Casewire.Texts;

/// <summary>The names under which a firm's own wording of a text is kept, per language (<see cref="Model.LocalizedText"/>).</summary>
static class TextKeys
{
    public static string Welcome(int projectTypeId) => $"welcome:type:{projectTypeId}";
    public static string Phase(int phaseId) => $"phase:{phaseId}";
    public static string Drip(int dripId) => $"drip:{dripId}";
    public const string Survey = "survey";
    public const string ReviewRequest = "review";
    public const string Help = "help";
    public const string Reminder = "reminder";
    public const string DocumentNotice = "document-notice";
}
