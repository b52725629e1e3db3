namespace Casewire.Tests.Fuzz;

/// <summary>
/// How much random input the fuzz suite sends, and which: a fixed seed and request count by default,
/// so every CI run sends the same requests; <c>CASEWIRE_FUZZ_SEED</c> and
/// <c>CASEWIRE_FUZZ_ITERATIONS</c> (requests per endpoint) change them for a different or longer
/// local run. Each endpoint draws from its own stream (the seed mixed with the endpoint's route), so
/// a new endpoint or another test order never changes another endpoint's requests.
/// </summary>
public static class FuzzSettings
{
    public const int DefaultSeed = 20260106;
    public const int DefaultIterations = 250;

    public static int Seed { get; } = int.TryParse(Environment.GetEnvironmentVariable("CASEWIRE_FUZZ_SEED"), out var seed) ? seed : DefaultSeed;

    public static int Iterations { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("CASEWIRE_FUZZ_ITERATIONS"), out var n) && n > 0 ? n : DefaultIterations;

    /// <summary>How to run these requests again: printed with every failure.</summary>
    public static string Replay => $"CASEWIRE_FUZZ_SEED={Seed} CASEWIRE_FUZZ_ITERATIONS={Iterations}";

    public static Random RandomFor(string route) => new(Seed ^ StableHash(route));

    /// <summary>FNV-1a: string.GetHashCode is randomised per process, this is not.</summary>
    static int StableHash(string text)
    {
        var hash = 2166136261;
        foreach (var c in text) hash = (hash ^ c) * 16777619;
        return unchecked((int)hash);
    }
}
