namespace Casewire.Model;

/// <summary>
/// A firm's own wording of one client-facing text in one language (SPEC §13): the welcome of a project type,
/// a phase's message, a drip, the survey, the review request, the HELP answer. Without one, the built-in text
/// of that language is sent (or, for the English welcome and phase message, the text stored on the type or
/// phase as before).
/// </summary>
sealed class LocalizedText : ICompanyOwned
{
    public int Id { get; set; }
    public int CompanyId { get; set; }
    /// <summary>Which text: <c>welcome:type:3</c>, <c>phase:12</c>, <c>drip:7</c>, <c>survey</c>, <c>review</c>, <c>help</c>.</summary>
    public required string Key { get; set; }
    /// <summary>BCP 47, one of the languages Casewire has texts for.</summary>
    public required string Language { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
