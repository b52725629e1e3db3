using Casewire.Texts;

namespace Casewire.Milestones;

/// <summary>
/// What English-reading clients read when the firm has not written its own text (SPEC §3, §6); the texts of
/// every language are <see cref="BuiltInTexts"/>.
/// </summary>
static class DefaultTexts
{
    /// <summary>Greets the client, names the firm and the case, gives the portal link; the first text also says how to stop them.</summary>
    public const string Welcome = BuiltInTexts.WelcomeEn;

    /// <summary>Names the phase, so a phase learned from the CMS notifies clients from the start.</summary>
    public const string PhaseChange = BuiltInTexts.PhaseChangeEn;
}
