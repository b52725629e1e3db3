using System.Globalization;
using NodaTime;

namespace Casewire.CompanyApp;

/// <summary>
/// The dashboard's deliveries per day (SPEC §8), drawn by the server as SVG: for each company day, the
/// deliveries that went out that day by where they stand now — sent (no receipt yet), delivered, failed. A
/// delivery that failed without ever leaving counts on the day of its last attempt.
/// </summary>
sealed class DeliveryChart(IReadOnlyList<DeliveryChart.Day> days)
{
    public sealed record Day(LocalDate Date, int Sent, int Delivered, int Failed)
    {
        public string Iso => Date.ToString("uuuu'-'MM'-'dd", CultureInfo.InvariantCulture);
        public string Label => Date.ToString("MMM d", CultureInfo.InvariantCulture);
        public string Long => Date.ToString("dddd, MMMM d", CultureInfo.InvariantCulture);
    }

    public sealed record Bar(Day Day, string Kind, int Count, double X, double Y, double Height);

    public static readonly string[] Kinds = ["sent", "delivered", "failed"];

    // Geometry of the drawing (viewBox units; the SVG scales to the card's width).
    public const double Width = 720, Height = 230, Left = 34, Top = 12, Bottom = 196;
    public double GroupWidth => (Width - Left) / Math.Max(1, Days.Count);
    public double BarWidth => GroupWidth * 0.8 / Kinds.Length;

    public IReadOnlyList<Day> Days { get; } = days;

    public int TotalSent => Days.Sum(d => d.Sent);
    public int TotalDelivered => Days.Sum(d => d.Delivered);
    public int TotalFailed => Days.Sum(d => d.Failed);

    /// <summary>The top of the scale: the largest day's bar rounded up to 1, 2 or 5 × 10ⁿ (at least 1).</summary>
    public int Scale
    {
        get
        {
            var max = Days.Count == 0 ? 0 : Days.Max(d => Math.Max(d.Sent, Math.Max(d.Delivered, d.Failed)));
            for (var step = 1; ; step *= 10)
                foreach (var nice in new[] { 1, 2, 5 })
                    if (max <= nice * step) return nice * step;
        }
    }

    public double YOf(int count) => Bottom - (Bottom - Top) * count / Scale;

    public IEnumerable<Bar> Bars()
    {
        for (var i = 0; i < Days.Count; i++)
        {
            var day = Days[i];
            var x = Left + i * GroupWidth + GroupWidth * 0.1;
            int[] counts = [day.Sent, day.Delivered, day.Failed];
            for (var k = 0; k < Kinds.Length; k++)
                yield return new Bar(day, Kinds[k], counts[k], x + k * BarWidth, YOf(counts[k]), Bottom - YOf(counts[k]));
        }
    }

    /// <summary>An SVG number: invariant culture, two decimals at most.</summary>
    public static string N(double value) => Math.Round(value, 2).ToString(CultureInfo.InvariantCulture);
}
