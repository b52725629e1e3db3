using Microsoft.Extensions.Options;

namespace Casewire.Documents;

/// <summary>A file that passed the checks of SPEC §14: its content (seekable, at the start), safe name, type by content and size.</summary>
sealed record AcceptedFile(Stream Content, string FileName, FileType Type, long Size);

/// <summary>Why a file was refused: 413 (too large), 415 (not an accepted type) or 400 (empty); the detail says what is accepted.</summary>
sealed record FileRefusal(int Status, string Title, string Detail);

/// <summary>The checks every incoming file passes, whichever door it came through (Partner API, project page, portal, MMS).</summary>
sealed class IncomingFiles(IOptions<StorageOptions> options)
{
    public long MaxBytes => options.Value.MaxFileBytes;

    /// <summary>"25 MiB" and the like, for messages.</summary>
    public string MaxSize => Sizes.Describe(MaxBytes);

    public FileRefusal TooLarge(long? size) => new(StatusCodes.Status413PayloadTooLarge, "The file is too large",
        (size is { } n ? $"The file has {Sizes.Describe(n)}; " : "The file is larger than accepted; ") + $"at most {MaxSize} is accepted.");

    /// <summary>Checks a seekable <paramref name="content"/> of <paramref name="size"/> bytes that the sender named <paramref name="name"/>.</summary>
    public (AcceptedFile? File, FileRefusal? Refusal) Check(Stream content, long size, string? name)
    {
        if (size == 0) return (null, new FileRefusal(StatusCodes.Status400BadRequest, "The file is empty", "The file has no content; choose the file again."));
        if (size > MaxBytes) return (null, TooLarge(size));
        var type = FileTypes.Detect(content);
        if (type is null)
            return (null, new FileRefusal(StatusCodes.Status415UnsupportedMediaType, "This type of file is not accepted",
                $"The file's content is not {FileTypes.Accepted} (the type is read from the content, not the name)."));
        return (new AcceptedFile(content, FileNames.Sanitize(name, type), type, size), null);
    }

    /// <summary>
    /// Copies a stream of unknown length (a download) into a temporary file, stopping past the limit: the copy, or null
    /// when it was too large. The temporary file goes when the stream is disposed.
    /// </summary>
    public async Task<Stream?> BufferAsync(Stream source, CancellationToken ct)
    {
        var buffer = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        try
        {
            var chunk = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                {
                    await buffer.DisposeAsync();
                    return null;
                }
                await buffer.WriteAsync(chunk.AsMemory(0, read), ct);
            }
            buffer.Position = 0;
            return buffer;
        }
        catch
        {
            await buffer.DisposeAsync();
            throw;
        }
    }
}

static class Sizes
{
    public static string Describe(long bytes) => bytes switch
    {
        >= 1024 * 1024 when bytes % (1024 * 1024) == 0 => $"{bytes / (1024 * 1024)} MiB",
        >= 1024 * 1024 => $"{bytes / (1024.0 * 1024):0.#} MiB",
        >= 1024 => $"{bytes / 1024.0:0.#} KiB",
        1 => "1 byte",
        _ => $"{bytes} bytes",
    };
}
