using System.Text.Json;
using System.Text.Json.Serialization;

namespace Casewire.Partner.Json;

/// <summary>
/// A request field that distinguishes "absent" from "null" (SPEC §1: an absent property keeps the
/// stored value, a present <c>null</c> clears it).
/// </summary>
[JsonConverter(typeof(OptionalConverterFactory))]
readonly struct Optional<T>(T? value)
{
    public bool IsSet { get; } = true;
    public T? Value { get; } = value;

    /// <summary>The sent value when present, else <paramref name="stored"/>.</summary>
    public T? Or(T? stored) => IsSet ? Value : stored;

    /// <summary>The field once read (trimmed, normalised): <paramref name="read"/> when the field was sent, else still absent.</summary>
    public Optional<TRead> As<TRead>(TRead read) => IsSet ? new Optional<TRead>(read) : default;
}

sealed class OptionalConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(Optional<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(OptionalConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    sealed class OptionalConverter<T> : JsonConverter<Optional<T>>
    {
        // Called only when the property is present, including for a JSON null.
        public override bool HandleNull => true;

        public override Optional<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null
                ? new Optional<T>(default)
                : new Optional<T>(((JsonConverter<T>)options.GetConverter(typeof(T))).Read(ref reader, typeof(T), options));

        public override void Write(Utf8JsonWriter writer, Optional<T> value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.Value, options);
    }
}
