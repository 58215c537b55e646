"""The places customers are in: cities with their postal codes and language, and street patterns."""

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class City:
    """A place customers are in, with how its postal codes look and which language it speaks."""

    name: str
    country: str
    postal_prefix: str
    lang: str
    weight: int


# Weighted towards the three warehouse regions: that is where a Spanish distributor sells.
CITIES: tuple[City, ...] = (
    City("Madrid", "ES", "280", "es", 40),
    City("Getafe", "ES", "289", "es", 12),
    City("Alcalá de Henares", "ES", "288", "es", 10),
    City("Coslada", "ES", "288", "es", 8),
    City("Móstoles", "ES", "289", "es", 6),
    City("Torrejón de Ardoz", "ES", "288", "es", 8),
    City("Fuenlabrada", "ES", "289", "es", 6),
    City("Guadalajara", "ES", "190", "es", 6),
    City("Toledo", "ES", "450", "es", 5),
    City("Ciudad Real", "ES", "130", "es", 3),
    City("Barcelona", "ES", "080", "es", 30),
    City("L'Hospitalet de Llobregat", "ES", "089", "es", 10),
    City("Terrassa", "ES", "082", "es", 9),
    City("Sabadell", "ES", "082", "es", 9),
    City("Granollers", "ES", "084", "es", 6),
    City("Mataró", "ES", "083", "es", 5),
    City("Manresa", "ES", "082", "es", 4),
    City("Girona", "ES", "170", "es", 5),
    City("Lleida", "ES", "250", "es", 5),
    City("Tarragona", "ES", "430", "es", 5),
    City("Reus", "ES", "432", "es", 4),
    City("Valencia", "ES", "460", "es", 25),
    City("Paterna", "ES", "469", "es", 8),
    City("Riba-roja de Túria", "ES", "461", "es", 5),
    City("Sagunto", "ES", "465", "es", 5),
    City("Alzira", "ES", "466", "es", 4),
    City("Castellón de la Plana", "ES", "120", "es", 7),
    City("Vila-real", "ES", "125", "es", 4),
    City("Alicante", "ES", "030", "es", 8),
    City("Elche", "ES", "032", "es", 6),
    City("Murcia", "ES", "300", "es", 7),
    City("Albacete", "ES", "020", "es", 4),
    City("Zaragoza", "ES", "500", "es", 10),
    City("Huesca", "ES", "220", "es", 2),
    City("Bilbao", "ES", "480", "es", 7),
    City("Vitoria-Gasteiz", "ES", "010", "es", 5),
    City("Pamplona", "ES", "310", "es", 5),
    City("Logroño", "ES", "260", "es", 3),
    City("Valladolid", "ES", "470", "es", 5),
    City("Burgos", "ES", "090", "es", 3),
    City("León", "ES", "240", "es", 2),
    City("Gijón", "ES", "332", "es", 3),
    City("Santander", "ES", "390", "es", 3),
    City("A Coruña", "ES", "150", "es", 3),
    City("Vigo", "ES", "362", "es", 4),
    City("Sevilla", "ES", "410", "es", 6),
    City("Málaga", "ES", "290", "es", 5),
    City("Córdoba", "ES", "140", "es", 3),
    City("Jaén", "ES", "230", "es", 2),
    City("Badajoz", "ES", "060", "es", 2),
    City("Porto", "PT", "4000", "pt", 6),
    City("Braga", "PT", "4700", "pt", 4),
    City("Guimarães", "PT", "4800", "pt", 3),
    City("Aveiro", "PT", "3800", "pt", 3),
    City("Leiria", "PT", "2400", "pt", 2),
    City("Lisboa", "PT", "1000", "pt", 4),
    City("Setúbal", "PT", "2900", "pt", 2),
    City("Birmingham", "GB", "B", "en", 2),
    City("Manchester", "GB", "M", "en", 1),
    City("Sheffield", "GB", "S", "en", 1),
    City("Monterrey", "MX", "640", "es-mx", 2),
    City("Querétaro", "MX", "760", "es-mx", 2),
    City("Guadalajara (Jalisco)", "MX", "441", "es-mx", 1),
    City("Santiago de Chile", "CL", "83", "es-cl", 2),
    City("Antofagasta", "CL", "12", "es-cl", 1),
    City("Bogotá", "CO", "1101", "es-co", 1),
    City("Medellín", "CO", "0500", "es-co", 1),
)

STREETS: dict[str, tuple[str, ...]] = {
    "es": (
        "Polígono Industrial Las Mercedes, Nave {n}",
        "Calle de la Industria {n}",
        "Avenida de Castilla {n}",
        "Polígono El Pla, Parcela {n}",
        "Calle Mayor {n}",
        "Carrer de la Metal·lúrgia {n}",
        "Camino de los Afligidos {n}",
        "Polígono Fuente del Jarro, Calle Ciudad de Sevilla {n}",
        "Avenida de la Constitución {n}",
        "Calle del Hierro {n}",
        "Ronda de Poniente {n}",
        "Calle Peñíscola {n}",
        "Parque Empresarial San Fernando, Edificio {n}",
    ),
    "pt": (
        "Rua da Indústria, {n}",
        "Zona Industrial de Maia, Lote {n}",
        "Avenida da República, {n}",
        "Rua do Comércio, {n}",
    ),
    "en": ("{n} Tyburn Road", "Unit {n}, Trafford Park", "{n} Attercliffe Road", "Unit {n}, Aston Science Park"),
    "es-mx": ("Parque Industrial Apodaca, Nave {n}", "Av. Constituyentes {n}", "Calle Industria Automotriz {n}"),
    "es-cl": ("Av. Américo Vespucio {n}", "Camino a Melipilla {n}", "Calle Los Industriales {n}"),
    "es-co": ("Calle 13 # {n}-25", "Carrera 50 # {n}-10", "Autopista Sur Km {n}"),
}


__all__ = ["CITIES", "STREETS", "City"]
