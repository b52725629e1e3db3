namespace Casewire.Validation;

/// <summary>
/// Reads an enum by one of its names, ignoring case. Unlike <c>Enum.TryParse</c> it refuses numbers
/// ("1") and flag lists ("email,sms"), which are never what a caller meant.
/// </summary>
static class EnumNames
{
    public static bool TryParse<T>(string? value, out T parsed) where T : struct, Enum
    {
        var name = Enum.GetNames<T>().FirstOrDefault(n => n.Equals(value?.Trim(), StringComparison.OrdinalIgnoreCase));
        parsed = name is null ? default : Enum.Parse<T>(name);
        return name is not null;
    }
}
