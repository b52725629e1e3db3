using Casewire.Documents;
using Casewire.Model;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Casewire.Tests.Documents;

/// <summary>
/// The one storage test suite (SPEC §14), run against each provider: the file system (<see cref="FileSystemStorageTests"/>)
/// and a real S3-compatible server (<see cref="S3StorageTests"/>). Write, read, delete; a row that does not commit
/// leaves no file; the sweeper removes orphans past their grace and nothing else.
/// </summary>
public abstract class StorageContract(CasewireApp app)
{
    internal abstract IFileStore Store { get; }

    static readonly byte[] Pdf = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"u8.ToArray();

    static AcceptedFile Accepted(byte[] bytes) => new(new MemoryStream(bytes), "letter.pdf", FileTypes.Pdf, bytes.Length);

    async Task<byte[]?> ReadAsync(string key)
    {
        await using var stream = await Store.OpenAsync(key, CancellationToken.None);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    async Task<List<string>> KeysAsync()
    {
        var keys = new List<string>();
        await foreach (var key in Store.ListAsync(CancellationToken.None)) keys.Add(key);
        return keys;
    }

    [Fact]
    public async Task A_written_file_reads_back_byte_identical_and_is_listed()
    {
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);
        var key = StorageKeys.New(1, app.Time.GetUtcNow());

        await Store.PutAsync(key, new MemoryStream(bytes), "application/pdf", CancellationToken.None);

        Assert.Equal(bytes, await ReadAsync(key));
        Assert.Contains(key, await KeysAsync());
    }

    [Fact]
    public async Task A_deleted_file_is_gone_and_deleting_twice_is_harmless()
    {
        var key = StorageKeys.New(1, app.Time.GetUtcNow());
        await Store.PutAsync(key, new MemoryStream(Pdf), "application/pdf", CancellationToken.None);

        await Store.DeleteAsync(key, CancellationToken.None);
        await Store.DeleteAsync(key, CancellationToken.None);

        Assert.Null(await ReadAsync(key));
        Assert.DoesNotContain(key, await KeysAsync());
    }

    [Fact]
    public async Task A_row_that_does_not_commit_leaves_no_file_and_one_that_does_keeps_it()
    {
        var tenant = await app.NewTenantAsync();
        string failedKey = "", keptKey = "";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Casewire.Data.CasewireDb>();
            var files = scope.ServiceProvider.GetRequiredService<DocumentFiles>();
            await using (var staged = files.Stage())
            {
                failedKey = await staged.PutAsync(tenant.CompanyId, Accepted(Pdf), CancellationToken.None);
                Assert.NotNull(await ReadAsync(failedKey)); // written before the row…
                // …whose save fails: no such project (a foreign key).
                db.Documents.Add(Row(tenant.CompanyId, projectId: int.MaxValue, failedKey));
                await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
            }
            db.ChangeTracker.Clear();

            var projectId = await ProjectAsync(tenant);
            await using (var staged = files.Stage())
            {
                keptKey = await staged.PutAsync(tenant.CompanyId, Accepted(Pdf), CancellationToken.None);
                db.Documents.Add(Row(tenant.CompanyId, projectId, keptKey));
                await db.SaveChangesAsync();
                staged.Keep();
            }
        }

        Assert.Null(await ReadAsync(failedKey));
        Assert.DoesNotContain(failedKey, await KeysAsync());
        Assert.Equal(Pdf, await ReadAsync(keptKey));
    }

    [Fact]
    public async Task The_sweeper_removes_orphans_past_their_grace_and_keeps_documents_and_young_files()
    {
        var tenant = await app.NewTenantAsync();
        var projectId = await ProjectAsync(tenant);
        var now = app.Time.GetUtcNow();
        var oldOrphan = StorageKeys.New(tenant.CompanyId, now - TimeSpan.FromHours(2));
        var youngOrphan = StorageKeys.New(tenant.CompanyId, now - TimeSpan.FromMinutes(10));
        var oldDocument = StorageKeys.New(tenant.CompanyId, now - TimeSpan.FromDays(30));
        foreach (var key in new[] { oldOrphan, youngOrphan, oldDocument })
            await Store.PutAsync(key, new MemoryStream(Pdf), "application/pdf", CancellationToken.None);
        await app.WithDbAsync(async db =>
        {
            db.Documents.Add(Row(tenant.CompanyId, projectId, oldDocument));
            await db.SaveChangesAsync();
        });

        var removed = await app.Services.GetRequiredService<OrphanSweeper>().SweepAsync(CancellationToken.None);

        Assert.True(removed >= 1);
        Assert.Null(await ReadAsync(oldOrphan));
        Assert.NotNull(await ReadAsync(youngOrphan));
        Assert.Equal(Pdf, await ReadAsync(oldDocument));

        // Past its grace (one hour by default) the young orphan goes too.
        app.Time.Advance(TimeSpan.FromHours(1));
        await app.Services.GetRequiredService<OrphanSweeper>().SweepAsync(CancellationToken.None);
        Assert.Null(await ReadAsync(youngOrphan));
        Assert.Equal(Pdf, await ReadAsync(oldDocument));
    }

    static async Task<int> ProjectAsync(CasewireApp.Tenant tenant)
    {
        await tenant.ContactAsync("c1", email: "ann@example.com");
        return await tenant.ProjectAsync("p1", ["c1"]);
    }

    static Document Row(int companyId, int projectId, string key) => new()
    {
        CompanyId = companyId, ProjectId = projectId, Source = DocumentSource.Firm, Title = "Letter", FileName = "letter.pdf",
        ContentType = "application/pdf", Size = Pdf.Length, StorageKey = key, UploadedByName = "CRM", CreatedAt = DateTimeOffset.UnixEpoch,
    };
}

public sealed class FileSystemStorageTests(FileSystemStorageApp app) : StorageContract(app), IClassFixture<FileSystemStorageApp>
{
    internal override IFileStore Store => app.Store;

    [Fact]
    public void The_store_is_the_folder_configured_by_Storage_Path()
    {
        var store = Assert.IsType<FileSystemStore>(app.Store);
        Assert.Equal(Path.GetFullPath(Path.Combine(app.Folder, "files")), store.Root);
    }
}

public sealed class S3StorageTests(S3StorageApp app) : StorageContract(app), IClassFixture<S3StorageApp>
{
    internal override IFileStore Store => app.Store;

    [Fact]
    public async Task Files_land_in_the_configured_bucket_under_their_key()
    {
        Assert.IsType<S3Store>(app.Store);
        var key = StorageKeys.New(3, app.Time.GetUtcNow());
        await app.Store.PutAsync(key, new MemoryStream("%PDF-1.4 x"u8.ToArray()), "application/pdf", CancellationToken.None);

        using var client = S3StorageApp.NewClient();
        var listed = await client.ListObjectsV2Async(new Amazon.S3.Model.ListObjectsV2Request { BucketName = app.Bucket, Prefix = "3/" });
        Assert.Contains(listed.S3Objects ?? [], o => o.Key == key);
    }
}
