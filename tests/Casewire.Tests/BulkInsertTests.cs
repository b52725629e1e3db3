using Casewire.Data;
using Casewire.Model;
using Casewire.Time;
using Casewire.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Tests;

/// <summary>
/// <c>Data/BulkInserts</c> (a mass message's rows): every row written as <c>SaveChanges</c> would write it (enums by
/// name, instants, nulls), each entity given its own row's id — across statement chunks — and nothing left behind when
/// the transaction rolls back.
/// </summary>
public sealed class BulkInsertTests(CasewireApp app) : IClassFixture<CasewireApp>
{
    [Fact]
    public async Task EachRowGetsItsOwnIdAcrossChunksWithEveryColumnAsEfWouldWriteIt()
    {
        var tenant = await app.NewTenantAsync();
        var now = app.Time.GetUtcNow().TruncateToMilliseconds();
        var messages = Enumerable.Range(0, 700).Select(i => new Message // several statements on either database
        {
            CompanyId = tenant.CompanyId, Direction = i % 2 == 0 ? MessageDirection.Outbound : MessageDirection.Inbound, Kind = MessageKind.Explicit,
            AuthorName = $"author {i}", Text = $"text {i}", Subject = i % 3 == 0 ? null : $"subject {i}", CreatedAt = now.AddSeconds(i),
        }).ToList();

        await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await BulkInserts.InsertAsync(db, messages, CancellationToken.None);
            await transaction.CommitAsync();
        });

        Assert.Equal(700, messages.Select(m => m.Id).Distinct().Count());
        var stored = await app.WithDbAsync(db => db.Messages.AsNoTracking().Where(m => m.CompanyId == tenant.CompanyId).ToDictionaryAsync(m => m.Id));
        Assert.Equal(700, stored.Count);
        Assert.All(messages, m =>
        {
            var row = stored[m.Id];
            Assert.Equal((m.Text, m.AuthorName, m.Subject, m.Direction, m.CreatedAt), (row.Text, row.AuthorName, row.Subject, row.Direction, row.CreatedAt));
        });
    }

    [Fact]
    public async Task ARolledBackTransactionLeavesNoRow()
    {
        var tenant = await app.NewTenantAsync();
        await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await BulkInserts.InsertAsync(db, [new Message { CompanyId = tenant.CompanyId, AuthorName = "a", Text = "t", CreatedAt = app.Time.GetUtcNow() }],
                CancellationToken.None);
            await transaction.RollbackAsync();
        });

        Assert.Equal(0, await app.WithDbAsync(db => db.Messages.CountAsync(m => m.CompanyId == tenant.CompanyId)));
    }

    [Fact]
    public async Task OutsideATransactionItRefusesRatherThanGuessIds()
    {
        var tenant = await app.NewTenantAsync();
        var refused = await app.WithDbAsync(db => Assert.ThrowsAsync<InvalidOperationException>(() =>
            BulkInserts.InsertAsync(db, [new Message { CompanyId = tenant.CompanyId, AuthorName = "a", Text = "t", CreatedAt = app.Time.GetUtcNow() }],
                CancellationToken.None)));

        Assert.Contains("transaction", refused.Message, StringComparison.Ordinal);
    }
}
