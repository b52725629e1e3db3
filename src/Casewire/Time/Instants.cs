namespace Casewire.Time;

static class Instants
{
    /// <summary>Drops sub-millisecond ticks: the precision both databases keep.</summary>
    public static DateTimeOffset TruncateToMilliseconds(this DateTimeOffset value) =>
        new(value.Ticks - value.Ticks % TimeSpan.TicksPerMillisecond, value.Offset);
}
