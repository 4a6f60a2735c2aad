using System.Collections;
using System.Reflection;

namespace FunctionsUploader.Tests.Settings;

/// <summary>
/// The configuration keys an options type binds, as the configuration binder walks it: a list gives index 0,
/// a string dictionary any key ("*"), a nested options object its own keys.
/// </summary>
internal static class SettingsKeys
{
    public static IEnumerable<string> Of(string prefix, Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = $"{prefix}:{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(propertyType))
            {
                yield return key;
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                yield return key + ":*";
            }
            else if (typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                var element = propertyType.IsArray ? propertyType.GetElementType()! : propertyType.GetGenericArguments()[0];
                if (IsLeaf(element))
                {
                    yield return key + ":0";
                }
                else
                {
                    foreach (var nested in Of(key + ":0", element))
                    {
                        yield return nested;
                    }
                }
            }
            else
            {
                foreach (var nested in Of(key, propertyType))
                {
                    yield return nested;
                }
            }
        }
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri) ||
        type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(DateTimeOffset);
}
