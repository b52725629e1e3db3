using Casewire.Data;
using Casewire.Delivery.Webhooks;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Delivery;

/// <summary>
/// Opt-out state per company and number (SPEC §7): STOP and its kin opt out, START/UNSTOP/YES opt
/// back in, HELP/INFO ask for the company's help text. Matched as the whole trimmed message.
/// </summary>
static class OptOuts
{
    public enum Keyword { None, OptOut, OptIn, Help }

    static readonly Dictionary<string, Keyword> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["STOP"] = Keyword.OptOut, ["STOPALL"] = Keyword.OptOut, ["UNSUBSCRIBE"] = Keyword.OptOut, ["CANCEL"] = Keyword.OptOut,
        ["END"] = Keyword.OptOut, ["QUIT"] = Keyword.OptOut, ["REVOKE"] = Keyword.OptOut, ["OPTOUT"] = Keyword.OptOut,
        ["START"] = Keyword.OptIn, ["UNSTOP"] = Keyword.OptIn, ["YES"] = Keyword.OptIn,
        ["HELP"] = Keyword.Help, ["INFO"] = Keyword.Help,
    };

    public static Keyword Classify(string body) => Keywords.GetValueOrDefault(body.Trim(), Keyword.None);

    public static Task<bool> IsOptedOutAsync(CasewireDb db, int companyId, string phone, CancellationToken ct) =>
        db.OptOuts.ForCompany(companyId).AnyAsync(o => o.Phone == phone && o.Active, ct);

    /// <summary>The phones of <paramref name="clients"/> that are opted out in the company, in one statement.</summary>
    public static async Task<HashSet<string>> AmongAsync(CasewireDb db, int companyId, IEnumerable<Contact> clients, CancellationToken ct)
    {
        var phones = clients.Where(c => c.Phone is not null).Select(c => c.Phone!).ToList();
        if (phones.Count == 0) return [];
        // EF.Parameter: the list as one parameter, so the statement's SQL is the same every time and EF reuses it
        // (as a parameter per value EF built the SQL anew on every call: docs/decisions.md, "Write paths, profiled").
        return (await db.OptOuts.ForCompany(companyId).Where(o => o.Active && EF.Parameter(phones).Contains(o.Phone))
            .Select(o => o.Phone).ToListAsync(ct)).ToHashSet();
    }

    /// <summary>
    /// Opts <paramref name="phone"/> out or back in (tracked; saved by the caller) and, when that
    /// changes the number's state, raises <c>contact.opted_out</c> / <c>contact.opted_in</c> in the same unit of work.
    /// </summary>
    public static async Task SetAsync(
        CasewireDb db, WebhookEvents webhooks, int companyId, string phone, bool active, string keyword, DateTimeOffset now, CancellationToken ct)
    {
        if (await SetAsync(db, companyId, phone, active, keyword, now, ct))
            await webhooks.OptOutChangedAsync(companyId, phone, active, keyword, ct);
    }

    /// <summary>Opts <paramref name="phone"/> out or back in (tracked; saved by the caller); true when its state changed.</summary>
    public static async Task<bool> SetAsync(CasewireDb db, int companyId, string phone, bool active, string keyword, DateTimeOffset now, CancellationToken ct)
    {
        var row = db.OptOuts.Local.FirstOrDefault(o => o.CompanyId == companyId && o.Phone == phone)
                  ?? await db.OptOuts.ForCompany(companyId).FirstOrDefaultAsync(o => o.Phone == phone, ct);
        var changed = (row?.Active ?? false) != active;
        row ??= db.OptOuts.Add(new OptOut { CompanyId = companyId, Phone = phone, Keyword = keyword }).Entity;
        row.Active = active;
        row.Keyword = keyword.ToUpperInvariant();
        row.ChangedAt = now;
        return changed;
    }
}
