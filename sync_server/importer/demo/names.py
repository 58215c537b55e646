"""Name pools for people, companies and places, and the helpers that turn names into codes."""

import re
import unicodedata
from dataclasses import dataclass
from random import Random
from typing import TypeVar

T = TypeVar("T")

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "Ana", "Marta", "Laura", "Lucía", "Carmen", "Elena", "Isabel", "Pilar", "Nuria", "Raquel",
        "Cristina", "Beatriz", "Rocío", "Begoña", "Inés", "Sofía", "Irene", "Paula", "Silvia", "Mónica",
        "Javier", "David", "Carlos", "José", "Antonio", "Manuel", "Francisco", "Miguel", "Álvaro", "Sergio",
        "Pablo", "Jorge", "Alberto", "Raúl", "Rubén", "Iván", "Óscar", "Adrián", "Jesús", "Íñigo",
        "Jordi", "Montserrat", "Núria", "Xavier", "Pau", "Mireia", "Aitor", "Iker", "Ainhoa", "Ramón",
    ),
    "pt": (
        "João", "Tiago", "Rui", "Nuno", "Gonçalo", "André", "Pedro", "Luís", "Inês", "Joana",
        "Catarina", "Mariana", "Beatriz", "Sofia", "Conceição", "Margarida",
    ),
    "en": (
        "John", "Emma", "James", "Olivia", "Oliver", "Charlotte", "George", "Amelia", "Harry", "Sophie",
        "Thomas", "Grace", "Daniel", "Chloe", "Michael", "Hannah",
    ),
}

SURNAMES: dict[str, tuple[str, ...]] = {
    "es": (
        "García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez", "Pérez", "Gómez",
        "Martín", "Jiménez", "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero",
        "Alonso", "Gutiérrez", "Navarro", "Torres", "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez",
        "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega", "Delgado", "Castro", "Ortiz",
        "Rubio", "Marín", "Sanz", "Núñez", "Iglesias", "Medina", "Garrido", "Cortés", "Castillo",
        "Lozano", "Guerrero", "Cano", "Prieto", "Méndez", "Calvo", "Gallego", "Vidal", "León",
        "Márquez", "Herrera", "Peña", "Cabrera", "Campos", "Vega", "Fuentes", "Carrasco", "Caballero",
        "Reyes", "Nieto", "Aguilar", "Pascual", "Herrero", "Lorenzo", "Montero", "Hidalgo", "Ibáñez",
        "Ferrer", "Durán", "Benítez", "Mora", "Vicente", "Arias", "Crespo", "Román", "Pastor", "Soto",
        "Sáez", "Velasco", "Soler", "Parra", "Esteban", "Bravo", "Gallardo", "Pardo", "Merino",
        "Puig", "Vila", "Roca", "Pujol", "Font", "Serra", "Casals", "Güell", "Riera", "Bosch",
        "Etxeberria", "Goikoetxea", "Ibarra", "Urrutia", "Arrieta", "Aguirre", "Olaizola", "Zubiaurre",
        "Ordóñez", "Quiñones", "Montaña", "Cañete", "Ayuso", "Barroso", "Peñalver", "Abellán",
    ),
    "pt": (
        "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa",
        "Fernandes", "Gonçalves", "Gomes", "Lopes", "Marques", "Alves", "Almeida", "Ribeiro", "Pinto",
        "Carvalho", "Teixeira", "Moreira", "Correia", "Mendes", "Nunes", "Soares", "Vieira", "Monteiro",
        "Cardoso", "Rocha", "Araújo", "Magalhães", "Brandão", "Simões", "Antunes",
    ),
    "en": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
        "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson",
        "Clarke", "Hughes", "Edwards", "Murphy", "O'Brien", "Fletcher", "Holloway",
    ),
}


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
    City("Madrid", "ES", "280", "es", 40), City("Getafe", "ES", "289", "es", 12),
    City("Alcalá de Henares", "ES", "288", "es", 10), City("Coslada", "ES", "288", "es", 8),
    City("Móstoles", "ES", "289", "es", 6), City("Torrejón de Ardoz", "ES", "288", "es", 8),
    City("Fuenlabrada", "ES", "289", "es", 6), City("Guadalajara", "ES", "190", "es", 6),
    City("Toledo", "ES", "450", "es", 5), City("Ciudad Real", "ES", "130", "es", 3),
    City("Barcelona", "ES", "080", "es", 30), City("L'Hospitalet de Llobregat", "ES", "089", "es", 10),
    City("Terrassa", "ES", "082", "es", 9), City("Sabadell", "ES", "082", "es", 9),
    City("Granollers", "ES", "084", "es", 6), City("Mataró", "ES", "083", "es", 5),
    City("Manresa", "ES", "082", "es", 4), City("Girona", "ES", "170", "es", 5),
    City("Lleida", "ES", "250", "es", 5), City("Tarragona", "ES", "430", "es", 5),
    City("Reus", "ES", "432", "es", 4), City("Valencia", "ES", "460", "es", 25),
    City("Paterna", "ES", "469", "es", 8), City("Riba-roja de Túria", "ES", "461", "es", 5),
    City("Sagunto", "ES", "465", "es", 5), City("Alzira", "ES", "466", "es", 4),
    City("Castellón de la Plana", "ES", "120", "es", 7), City("Vila-real", "ES", "125", "es", 4),
    City("Alicante", "ES", "030", "es", 8), City("Elche", "ES", "032", "es", 6),
    City("Murcia", "ES", "300", "es", 7), City("Albacete", "ES", "020", "es", 4),
    City("Zaragoza", "ES", "500", "es", 10), City("Huesca", "ES", "220", "es", 2),
    City("Bilbao", "ES", "480", "es", 7), City("Vitoria-Gasteiz", "ES", "010", "es", 5),
    City("Pamplona", "ES", "310", "es", 5), City("Logroño", "ES", "260", "es", 3),
    City("Valladolid", "ES", "470", "es", 5), City("Burgos", "ES", "090", "es", 3),
    City("León", "ES", "240", "es", 2), City("Gijón", "ES", "332", "es", 3),
    City("Santander", "ES", "390", "es", 3), City("A Coruña", "ES", "150", "es", 3),
    City("Vigo", "ES", "362", "es", 4), City("Sevilla", "ES", "410", "es", 6),
    City("Málaga", "ES", "290", "es", 5), City("Córdoba", "ES", "140", "es", 3),
    City("Jaén", "ES", "230", "es", 2), City("Badajoz", "ES", "060", "es", 2),
    City("Porto", "PT", "4000", "pt", 6), City("Braga", "PT", "4700", "pt", 4),
    City("Guimarães", "PT", "4800", "pt", 3), City("Aveiro", "PT", "3800", "pt", 3),
    City("Leiria", "PT", "2400", "pt", 2), City("Lisboa", "PT", "1000", "pt", 4),
    City("Setúbal", "PT", "2900", "pt", 2), City("Birmingham", "GB", "B", "en", 2),
    City("Manchester", "GB", "M", "en", 1), City("Sheffield", "GB", "S", "en", 1),
    City("Monterrey", "MX", "640", "es-mx", 2), City("Querétaro", "MX", "760", "es-mx", 2),
    City("Guadalajara (Jalisco)", "MX", "441", "es-mx", 1), City("Santiago de Chile", "CL", "83", "es-cl", 2),
    City("Antofagasta", "CL", "12", "es-cl", 1), City("Bogotá", "CO", "1101", "es-co", 1),
    City("Medellín", "CO", "0500", "es-co", 1),
)

STREETS: dict[str, tuple[str, ...]] = {
    "es": (
        "Polígono Industrial Las Mercedes, Nave {n}", "Calle de la Industria {n}", "Avenida de Castilla {n}",
        "Polígono El Pla, Parcela {n}", "Calle Mayor {n}", "Carrer de la Metal·lúrgia {n}",
        "Camino de los Afligidos {n}", "Polígono Fuente del Jarro, Calle Ciudad de Sevilla {n}",
        "Avenida de la Constitución {n}", "Calle del Hierro {n}", "Ronda de Poniente {n}",
        "Calle Peñíscola {n}", "Parque Empresarial San Fernando, Edificio {n}",
    ),
    "pt": ("Rua da Indústria, {n}", "Zona Industrial de Maia, Lote {n}", "Avenida da República, {n}", "Rua do Comércio, {n}"),
    "en": ("{n} Tyburn Road", "Unit {n}, Trafford Park", "{n} Attercliffe Road", "Unit {n}, Aston Science Park"),
    "es-mx": ("Parque Industrial Apodaca, Nave {n}", "Av. Constituyentes {n}", "Calle Industria Automotriz {n}"),
    "es-cl": ("Av. Américo Vespucio {n}", "Camino a Melipilla {n}", "Calle Los Industriales {n}"),
    "es-co": ("Calle 13 # {n}-25", "Carrera 50 # {n}-10", "Autopista Sur Km {n}"),
}

COMPANY_PREFIXES: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {
        "industria": ("Industrias", "Talleres", "Mecanizados", "Fundiciones", "Metalúrgica", "Transformados Metálicos", "Calderería"),
        "construccion": ("Construcciones", "Obras y Reformas", "Estructuras Metálicas", "Excavaciones", "Cerramientos"),
        "mantenimiento": ("Mantenimientos Industriales", "Servicios Técnicos", "Instalaciones", "Montajes Eléctricos", "Climatización"),
        "oem": ("Maquinaria", "Automatismos", "Equipos Industriales", "Fabricados", "Carrocerías", "Bombas"),
        "reventa": ("Ferretería", "Suministros", "Almacenes", "Comercial", "Suministros Industriales", "Distribuciones"),
    },
    "pt": {
        "industria": ("Indústrias", "Metalomecânica", "Fundição", "Serralharia"),
        "construccion": ("Construções", "Obras Públicas", "Estruturas"),
        "mantenimiento": ("Manutenção Industrial", "Instalações Técnicas"),
        "oem": ("Máquinas", "Equipamentos", "Automação"),
        "reventa": ("Ferragens", "Comércio de Ferramentas", "Distribuição Industrial"),
    },
    "en": {
        "industria": ("Engineering", "Precision Components", "Fabrications"),
        "construccion": ("Construction", "Building Services"),
        "mantenimiento": ("Maintenance Services", "Facilities Engineering"),
        "oem": ("Machinery", "Automation Systems"),
        "reventa": ("Fasteners", "Industrial Supplies", "Tool Centre"),
    },
}

PLACE_WORDS: dict[str, tuple[str, ...]] = {
    "es": (
        "Peñalara", "Guadarrama", "Moncayo", "Montseny", "Aneto", "del Ebro", "del Tajo", "del Júcar",
        "del Duero", "del Segura", "del Turia", "del Llobregat", "del Henares", "del Jarama", "del Besòs",
        "del Nervión", "del Bierzo", "del Maestrazgo", "de la Alcarria", "de La Mancha", "del Vallès",
        "del Penedès", "de l'Empordà", "del Cantábrico", "Levante", "Ibérica", "Mediterránea", "Castellana",
        "del Norte", "del Sur", "Gredos", "Cazorla", "Montserrat", "Urbión", "Mulhacén", "Teide",
    ),
    "pt": ("do Minho", "do Douro", "do Ave", "do Tejo", "da Beira", "do Cávado", "Lusitana", "Atlântica"),
    "en": ("Midlands", "Pennine", "Northern", "Sheffield", "Black Country", "Mersey"),
    "es-mx": ("del Bajío", "del Norte", "Regiomontana", "de Occidente", "Queretana", "del Golfo"),
    "es-cl": ("Los Andes", "del Pacífico", "Austral", "del Maipo", "Nortina"),
    "es-co": ("Andina", "del Valle", "Antioqueña", "del Caribe", "Cundinamarca"),
}

LEGAL_FORMS: dict[str, tuple[tuple[str, int], ...]] = {
    "es": (("S.L.", 70), ("S.A.", 15), ("S.L.U.", 10), ("S. Coop.", 2), ("", 3)),
    "pt": (("Lda.", 80), ("S.A.", 20)),
    "en": (("Ltd.", 85), ("plc", 5), ("& Sons Ltd.", 10)),
    "es-mx": (("S.A. de C.V.", 80), ("S. de R.L. de C.V.", 20)),
    "es-cl": (("SpA", 60), ("Ltda.", 40)),
    "es-co": (("S.A.S.", 80), ("Ltda.", 20)),
}


def ascii_fold(text: str) -> str:
    """`text` without accents or marks: 'Güell Peñalara' → 'Guell Penalara'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str, sep: str = "-") -> str:
    """Lower-case ASCII words of `text` joined by `sep` (for logins and e-mail domains)."""
    words = re.findall(r"[a-z0-9]+", ascii_fold(text).lower())
    return sep.join(words)


def language_pool(lang: str) -> str:
    """The name pool a city's language draws people from (LatAm Spanish uses the Spanish one)."""
    return lang.split("-")[0]


def person_name(rng: Random, lang: str) -> str:
    """A plausible full name for someone in a place speaking `lang`."""
    pool = language_pool(lang)
    first = rng.choice(FIRST_NAMES[pool])
    if pool == "es":
        # Spaniards carry two surnames; most people use both on business documents.
        return f"{first} {rng.choice(SURNAMES['es'])} {rng.choice(SURNAMES['es'])}"
    return f"{first} {rng.choice(SURNAMES[pool])}"


def weighted_choice(rng: Random, options: tuple[tuple[T, int], ...]) -> T:
    """Pick the first element of one of `options`, weighted by the second."""
    values = [o for o, _ in options]
    weights = [w for _, w in options]
    return rng.choices(values, weights=weights)[0]


__all__ = [
    "CITIES",
    "COMPANY_PREFIXES",
    "FIRST_NAMES",
    "LEGAL_FORMS",
    "PLACE_WORDS",
    "STREETS",
    "SURNAMES",
    "City",
    "ascii_fold",
    "language_pool",
    "person_name",
    "slug",
    "weighted_choice",
]
