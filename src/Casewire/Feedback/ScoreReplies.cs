using System.Text.RegularExpressions;

namespace Casewire.Feedback;

/// <summary>
/// Reads a score from a client's text (SPEC §13): a number 0–10 leading the reply, optionally written as
/// <c>9/10</c>, with any words after it as the comment (<c>" 9 great team"</c> → 9, "great team"). A spelled-out
/// number (<c>nine</c>) or a number out of range (<c>11</c>, <c>100</c>) is not a score.
/// </summary>
static partial class ScoreReplies
{
    public static bool TryRead(string? text, out int score, out string? comment)
    {
        (score, comment) = (0, null);
        var match = Score().Match(text ?? "");
        if (!match.Success) return false;
        score = int.Parse(match.Groups["score"].Value, System.Globalization.CultureInfo.InvariantCulture);
        var rest = match.Groups["comment"].Value.Trim();
        comment = rest.Length == 0 ? null : rest.Length <= Model.Survey.MaxComment ? rest : rest[..Model.Survey.MaxComment];
        return true;
    }

    [GeneratedRegex(@"^\s*(?<score>10|[0-9])(\s*/\s*10)?(?:(?:[\s,.;:!\-–—]+)(?<comment>.*))?\s*$", RegexOptions.Singleline)]
    private static partial Regex Score();
}
