using System.Text.Json.Serialization;

namespace FunctionsUploader.Simulators;

/// <summary>The vendors the simulator hosts. The lower-case name is each one's route prefix and its name in fault rules and inspection.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SimulatedVendor>))]
public enum SimulatedVendor
{
    [JsonStringEnumMemberName("mediavalet")]
    MediaValet,

    [JsonStringEnumMemberName("picovico")]
    Picovico,

    [JsonStringEnumMemberName("prepr")]
    Prepr,

    [JsonStringEnumMemberName("panopto")]
    Panopto,
}

/// <summary>Route names of <see cref="SimulatedVendor"/>.</summary>
public static class SimulatedVendorNames
{
    public static string RouteName(this SimulatedVendor vendor) => vendor switch
    {
        SimulatedVendor.MediaValet => "mediavalet",
        SimulatedVendor.Picovico => "picovico",
        SimulatedVendor.Prepr => "prepr",
        SimulatedVendor.Panopto => "panopto",
        _ => throw new ArgumentOutOfRangeException(nameof(vendor), vendor, null),
    };

    public static bool TryParse(string? name, out SimulatedVendor vendor) =>
        Enum.TryParse(name, ignoreCase: true, out vendor) && Enum.IsDefined(vendor);
}
