using Casewire.Data;
using Casewire.Model;
using Microsoft.EntityFrameworkCore;

namespace Casewire.Companies;

/// <summary>
/// SPEC §9, §11: a company's own sender number belongs to that company alone, so a firm cannot send from another
/// firm's number or receive its clients' replies (and STOP). Only the installation's fallback (<c>Twilio:From</c>)
/// is shared, and a company uses it by leaving its own number empty. Checked by the CLI and the Settings page after
/// <see cref="CompanySettings.Apply"/>; the unique index on <see cref="Company.SenderNumber"/> settles a race.
/// The message never names the firm that holds the number.
/// </summary>
static class SenderNumbers
{
    /// <summary>Why <paramref name="company"/> may not keep the number it is about to save, or null when it may.</summary>
    public static async Task<CompanySettingError?> CheckAsync(CasewireDb db, Company company, string? sharedNumber,
        Func<CompanySetting, string> label, CancellationToken ct)
    {
        if (company.SenderNumber is not { } number) return null;
        if (number == sharedNumber)
            return new CompanySettingError(CompanySetting.SenderNumber,
                $"{label(CompanySetting.SenderNumber)} {number} is this installation's shared number (Twilio:From); " +
                "leave the field empty to send from it, or enter a number of your own.");
        return await db.Companies.AnyAsync(c => c.SenderNumber == number && c.Id != company.Id, ct) ? Taken(number, label) : null;
    }

    /// <summary>The refusal when another company holds the number (also when the unique index caught a simultaneous claim).</summary>
    public static CompanySettingError Taken(string number, Func<CompanySetting, string> label) =>
        new(CompanySetting.SenderNumber,
            $"{label(CompanySetting.SenderNumber)} {number} is already the sender number of another firm on this installation; " +
            "each firm texts from a number of its own. Enter another number, or leave the field empty to send from the shared one.");
}
