"""Words a customer's company name is made of: trade prefixes, place words and legal forms."""

COMPANY_PREFIXES: dict[str, dict[str, tuple[str, ...]]] = {
    "es": {
        "industria": (
            "Industrias",
            "Talleres",
            "Mecanizados",
            "Fundiciones",
            "Metalúrgica",
            "Transformados Metálicos",
            "Calderería",
        ),
        "construccion": ("Construcciones", "Obras y Reformas", "Estructuras Metálicas", "Excavaciones", "Cerramientos"),
        "mantenimiento": (
            "Mantenimientos Industriales",
            "Servicios Técnicos",
            "Instalaciones",
            "Montajes Eléctricos",
            "Climatización",
        ),
        "oem": ("Maquinaria", "Automatismos", "Equipos Industriales", "Fabricados", "Carrocerías", "Bombas"),
        "reventa": (
            "Ferretería",
            "Suministros",
            "Almacenes",
            "Comercial",
            "Suministros Industriales",
            "Distribuciones",
        ),
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
        "Peñalara",
        "Guadarrama",
        "Moncayo",
        "Montseny",
        "Aneto",
        "del Ebro",
        "del Tajo",
        "del Júcar",
        "del Duero",
        "del Segura",
        "del Turia",
        "del Llobregat",
        "del Henares",
        "del Jarama",
        "del Besòs",
        "del Nervión",
        "del Bierzo",
        "del Maestrazgo",
        "de la Alcarria",
        "de La Mancha",
        "del Vallès",
        "del Penedès",
        "de l'Empordà",
        "del Cantábrico",
        "Levante",
        "Ibérica",
        "Mediterránea",
        "Castellana",
        "del Norte",
        "del Sur",
        "Gredos",
        "Cazorla",
        "Montserrat",
        "Urbión",
        "Mulhacén",
        "Teide",
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


__all__ = ["COMPANY_PREFIXES", "LEGAL_FORMS", "PLACE_WORDS"]
