using System.Text.Json;
using System.Text.Json.Serialization;

namespace Casewire.Delivery;

sealed class SinkOptions
{
    public const string Section = "Sink";
    /// <summary>When set, every message the sink "sends" is appended here as one JSON line (SPEC §9).</summary>
    public string? File { get; set; }

    /// <summary>Unset, or a path that can name a file (not an existing folder, not ending in a separator).</summary>
    public static bool IsFilePath(string? file) =>
        string.IsNullOrWhiteSpace(file) || (!file.Contains('\0') && !Path.EndsInDirectorySeparator(file) && !Directory.Exists(file));
}

/// <summary>
/// The sink's JSON-lines file: <c>{"channel","to","from","text","subject","messageId","deliveryId","sentAt"}</c>
/// per sent message. <c>deliveryId</c> (our extension) identifies the outbox item, so a crash
/// between writing a line and recording it can be reconciled by reading the file back.
/// </summary>
sealed class SinkFile(Microsoft.Extensions.Options.IOptions<SinkOptions> options, TimeProvider time) : IDisposable
{
    readonly Lock _lock = new();
    StreamWriter? _writer;

    public bool Enabled => !string.IsNullOrWhiteSpace(options.Value.File);

    public sealed record Line(
        string Channel, string To, string? From, string Text, string? Subject, int? MessageId, long DeliveryId, string SentAt);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public void Append(string channel, string to, string? from, string text, string? subject, int? messageId, long deliveryId)
    {
        if (!Enabled) return;
        var line = JsonSerializer.Serialize(
            new Line(channel, to, from, text, subject, messageId, deliveryId, time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ")), Json);
        lock (_lock)
        {
            _writer ??= Open();
            _writer.WriteLine(line);
            _writer.Flush(); // into the OS: a killed process loses nothing already written
        }
    }

    /// <summary>True when a line for <paramref name="deliveryId"/> is in the file (used only after a crash).</summary>
    public bool Contains(long deliveryId)
    {
        if (!Enabled || !System.IO.File.Exists(options.Value.File)) return false;
        var needle = $"\"deliveryId\":{deliveryId},";
        lock (_lock)
        {
            _writer?.Flush();
            using var reader = new StreamReader(new FileStream(options.Value.File!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            while (reader.ReadLine() is { } line)
                if (line.Contains(needle, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    StreamWriter Open()
    {
        var path = Path.GetFullPath(options.Value.File!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = false };
    }

    public void Dispose()
    {
        lock (_lock) _writer?.Dispose();
    }
}
