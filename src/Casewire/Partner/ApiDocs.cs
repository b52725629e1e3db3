using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Casewire.Partner.Json;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Casewire.Partner;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>) and its Scalar reference (<c>/docs</c>), written so that generated clients
/// (Kiota, NSwag, openapi-typescript) and validating proxies (Prism) take it as it is. Conventions for request types
/// (docs/decisions.md, "OpenAPI contract"): mark the fields the server requires with <see cref="ApiRequiredAttribute"/>
/// (everything else is optional and nullable); contact and member references are items of <see cref="ReferenceSchema"/>
/// (<see cref="ApiItemsAttribute"/>); <see cref="Optional{T}"/> fields say that absent keeps and null clears; every
/// problem an endpoint answers is declared with <see cref="ProducesProblems"/>.
/// </summary>
static class ApiDocs
{
    /// <summary>A contact or member reference: a Casewire id, a CMS external id, or an object naming one of id, externalId, email, phone.</summary>
    public const string ReferenceSchema = "Reference";
    /// <summary>A calendar event reminder: <c>{ "unit": "day", "amount": 1 }</c>.</summary>
    public const string ReminderSchema = "Reminder";

    public const string AbsentKeepsNullClears = "Absent keeps the stored value; null clears it.";
    public const string AbsentOrNullIgnored = "Optional: leave it out (or send null) when not needed.";

    public static IHostApplicationBuilder AddApiDocs(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Casewire Partner API",
                    Version = "v2",
                    Description =
                        "The Partner API v2 as published, served by Casewire. Every call needs `Authorization: Bearer <token>`; " +
                        "a token belongs to one company and every id is looked up within it. Errors are RFC 9457 problem details " +
                        "(`application/problem+json`). In request bodies an absent optional field keeps the stored value and a " +
                        "`null` clears it: clients should leave unset fields out. " +
                        $"Operations marked `{PartnerApi.ExtensionMarker}` go beyond the published API.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "An API token (cw_…) from the Company App or `casewire token create`.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", document)] = [] }];
                document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
                foreach (var (name, schema) in SharedSchemas(document)) document.Components.Schemas[name] = schema;
                DescribeRequestTypes(document);
                return Task.CompletedTask;
            });
            options.AddSchemaTransformer((schema, context, _) =>
            {
                var type = context.JsonTypeInfo.Type;
                // Optional<T> is "T or null, or absent": document it as the nullable T it reads.
                if (IsOptional(type))
                {
                    schema.Type = JsonSchemaType.String | JsonSchemaType.Null;
                    schema.Properties?.Clear();
                    schema.Required?.Clear();
                }
                // Request strings are read by a checking converter (Partner/Json/TextConverter), which hides from the
                // schema exporter that they are plain JSON strings: say so again, for strings and lists and maps of them.
                if (type == typeof(string))
                    schema.Type = context.JsonPropertyInfo is { IsGetNullable: true } ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
                if (schema.Items is null && IsListOfStrings(type))
                    schema.Items = new OpenApiSchema { Type = JsonSchemaType.String };
                if (schema.AdditionalProperties is OpenApiSchema { Items: null } values
                    && type.IsGenericType && type.GetGenericArguments() is [_, var valueType] && IsListOfStrings(valueType))
                    values.Items = new OpenApiSchema { Type = JsonSchemaType.String };
                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>
    /// For each request type (one with <see cref="ApiRequiredAttribute"/> fields): exactly those are required, not null and
    /// (strings, arrays) not empty; every other field is optional and nullable and says what absent and null mean. Done on the
    /// finished document, where the shared schemas exist and no later schema transformer undoes it.
    /// </summary>
    static void DescribeRequestTypes(OpenApiDocument document)
    {
        var schemas = document.Components!.Schemas!;
        foreach (var type in typeof(ApiDocs).Assembly.GetTypes())
        {
            var fields = type.GetProperties().Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null).ToList();
            if (!fields.Any(p => p.GetCustomAttribute<ApiRequiredAttribute>() is not null)
                || !schemas.TryGetValue(type.Name, out var found) || found is not OpenApiSchema schema || schema.Properties is null) continue;
            schema.Required = new HashSet<string>();
            foreach (var field in fields)
            {
                var name = JsonName(field);
                if (schema.Properties.TryGetValue(name, out var documented))
                    schema.Properties[name] = DescribeField(document, field, documented, schema.Required);
            }
        }
        // Optional<T> fields are inlined by DescribeField: the wrapper type is no part of the contract.
        foreach (var name in schemas.Keys.Where(n => n.StartsWith("OptionalOf", StringComparison.Ordinal)).ToList()) schemas.Remove(name);
    }

    static OpenApiSchema DescribeField(OpenApiDocument document, PropertyInfo field, IOpenApiSchema documented, ISet<string> required)
    {
        // An Optional<T> field is the nullable T it reads, in place of a reference to the wrapper.
        var property = documented as OpenApiSchema ?? new OpenApiSchema { Type = JsonSchemaType.String, Description = documented.Description };
        if (field.GetCustomAttribute<ApiItemsAttribute>() is { } items) property.Items = new OpenApiSchemaReference(items.SchemaId, document);
        var values = field.GetCustomAttribute<ApiEnumAttribute>()?.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToList();
        if (field.GetCustomAttribute<ApiRequiredAttribute>() is not null)
        {
            required.Add(JsonName(field));
            property.Type &= ~JsonSchemaType.Null;
            if (property.Type == JsonSchemaType.String) property.MinLength ??= 1;
            if (property.Type == JsonSchemaType.Array) property.MinItems ??= 1;
            if (values is not null) property.Enum = values;
            return property;
        }
        property.Type |= JsonSchemaType.Null;
        if (values is not null) property.Enum = [.. values, null!];
        var note = IsOptional(field.PropertyType) ? AbsentKeepsNullClears : AbsentOrNullIgnored;
        property.Description = string.IsNullOrEmpty(property.Description) ? note : property.Description + " " + note;
        return property;
    }

    static string JsonName(PropertyInfo field) =>
        field.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(field.Name);

    /// <summary>Schemas that request types name through <see cref="ApiItemsAttribute"/> and responses through <see cref="ProducesProblems"/>.</summary>
    static IEnumerable<(string Name, IOpenApiSchema Schema)> SharedSchemas(OpenApiDocument document)
    {
        // One schema, typed for every generator (docs/decisions.md, "Reference items"): its properties make NSwag and
        // openapi-typescript write an object type with id/externalId/email/phone; no top-level type and an anyOf of the
        // three JSON forms keep bare ids and strings valid (Prism, the help page's examples), and Kiota types it as a string.
        yield return (ReferenceSchema, new OpenApiSchema
        {
            Description = "A contact or team member: an object naming it by one of id, externalId, email or phone (the first present " +
                          "is used), a Casewire id (integer), or a string (a CMS externalId; for attendees and members also an email or phone).",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Description = "The Casewire id." },
                ["externalId"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, Description = "The id in the CMS." },
                ["email"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, Description = "An email address (attendees and members only)." },
                ["phone"] = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, Description = "A phone number (attendees and members only)." },
            },
            AnyOf =
            [
                new OpenApiSchema { Type = JsonSchemaType.Object, MinProperties = 1 },
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1 },
                new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1" },
            ],
        });
        yield return (ReminderSchema, new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "A reminder sent `amount` `unit`s before the event starts (at most 365 days).",
            Required = new HashSet<string> { "unit", "amount" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["unit"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.String, Enum = ["day", "hour", "minute"],
                    Description = "day, hour or minute (read in any case, plurals too).",
                },
                ["amount"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Integer | JsonSchemaType.String, Minimum = "1", Pattern = "^\\s*[0-9]*[1-9][0-9]*\\s*$",
                    Description = "How many units before the start: a whole number ≥ 1, or the same as a numeric string (\"1\").",
                },
            },
        });
    }

    /// <summary>Declares RFC 9457 problem responses (<c>application/problem+json</c>) so generated clients surface their body.</summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder endpoint, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes) endpoint.ProducesProblem(status);
        return endpoint;
    }

    static bool IsListOfStrings(Type type) =>
        type != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(type);

    static bool IsOptional(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Optional<>);

    public static IEndpointRouteBuilder MapApiDocs(this IEndpointRouteBuilder app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options
            .WithTitle("Casewire Partner API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}

/// <summary>A request field the server requires: documented as required, not null and (strings) not empty.</summary>
[AttributeUsage(AttributeTargets.Property)]
sealed class ApiRequiredAttribute : Attribute;

/// <summary>An array field whose items are the shared schema <paramref name="schemaId"/> (e.g. <see cref="ApiDocs.ReferenceSchema"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
sealed class ApiItemsAttribute(string schemaId) : Attribute
{
    public string SchemaId { get; } = schemaId;
}

/// <summary>A string field read from a fixed set of spellings: the ones documented (the server may accept more, case-insensitively).</summary>
[AttributeUsage(AttributeTargets.Property)]
sealed class ApiEnumAttribute(params string[] values) : Attribute
{
    public string[] Values { get; } = values;
}
