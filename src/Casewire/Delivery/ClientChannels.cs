using Casewire.Model;

namespace Casewire.Delivery;

/// <summary>How an automatic notification (milestone, reminder, notice) reaches a client: by their notification preference (SPEC §2).</summary>
static class ClientChannels
{
    public static List<(Channel Channel, string To)> Of(Contact client, IReadOnlySet<string> optedOutPhones)
    {
        var preference = client.EffectiveNotificationPreference;
        var sms = preference is NotificationPreference.Sms or NotificationPreference.Both && client.Phone is not null;
        var email = preference is NotificationPreference.Email or NotificationPreference.Both && client.Email is not null;
        // A preference for a channel the client lacks falls back to the one they have.
        if (!sms && !email) (sms, email) = (client.Phone is not null, client.Phone is null && client.Email is not null);
        // SPEC §7: a number that texted STOP is still reachable by email. Without an email the text is
        // queued anyway and the dispatcher records it as suppressed, so the history says why.
        if (sms && optedOutPhones.Contains(client.Phone!) && client.Email is not null) (sms, email) = (false, true);

        var channels = new List<(Channel, string)>(2);
        if (sms) channels.Add((Channel.Sms, client.Phone!));
        if (email) channels.Add((Channel.Email, client.Email!));
        return channels;
    }
}
