using System.ComponentModel.DataAnnotations;

namespace Casewire.Feedback;

/// <summary>The knobs of SPEC §13 (<c>Feedback:*</c>).</summary>
sealed class FeedbackOptions
{
    public const string Section = "Feedback";

    /// <summary>A client is asked at most once in this many days, whatever asks.</summary>
    [Range(0, 3650)]
    public int MinDaysBetweenSurveys { get; set; } = 30;

    /// <summary>A survey takes a score by text for this many days after it went out.</summary>
    [Range(1, 90)]
    public int OpenDays { get; set; } = 7;
}
