using System.Runtime.CompilerServices;

namespace Casewire.Documents;

/// <summary>
/// Documents as files under one folder (<c>Storage:Path</c>): the key is the relative path. A file is written
/// under a temporary name and renamed into place, so a reader never sees half a file.
/// </summary>
sealed class FileSystemStore(string root) : IFileStore
{
    public string Root { get; } = System.IO.Path.GetFullPath(root);

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        var temporary = path + ".partial";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await content.CopyToAsync(file, ct);
            File.Move(temporary, path);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    public Task<Stream?> OpenAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        Stream? stream = File.Exists(path) ? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : null;
        return Task.FromResult(stream);
    }

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        if (!Directory.Exists(Root)) yield break;
        foreach (var path in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            ct.ThrowIfCancellationRequested();
            var key = System.IO.Path.GetRelativePath(Root, path).Replace(System.IO.Path.DirectorySeparatorChar, '/');
            if (StorageKeys.IsValid(key)) yield return key;
        }
    }

    string PathOf(string key)
    {
        if (!StorageKeys.IsValid(key)) throw new ArgumentException($"'{key}' is not a storage key.", nameof(key));
        return System.IO.Path.Combine(Root, key.Replace('/', System.IO.Path.DirectorySeparatorChar));
    }
}
