"""The catalogue's shape: a three-level category tree whose leaves know how to name products.

Top-level names are bilingual (the model has one `name`): the UI shows Spanish and English
text side by side, which is what a distributor exporting to Portugal and the UK prints.
Each leaf holds a name template and option lists; an option is `label` or `label:percent`,
where the percent scales the leaf's base replacement cost (an M16 bolt costs more than an M5).
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Leaf:
    """A bottom category: where products live, and how their names, units and costs look."""

    code: str
    name: str
    unit: str
    base_cost: Decimal
    weight: int
    template: str
    options: tuple[tuple[tuple[str, int], ...], ...]
    tax_class: str = "IVA21"


@dataclass(frozen=True, slots=True)
class Branch:
    """A category with children (top level or middle level)."""

    code: str
    name: str
    children: tuple["Branch | Leaf", ...]


def _options(spec: str) -> tuple[tuple[str, int], ...]:
    parsed = []
    for part in spec.split("|"):
        label, _, percent = part.partition(":")
        parsed.append((label, int(percent) if percent else 100))
    return tuple(parsed)


def leaf(code: str, name: str, unit: str, cost: str, weight: int, template: str, *options: str, tax: str = "IVA21") -> Leaf:
    """A leaf category from compact option strings ('M6:65|M8:100|M10:150')."""
    return Leaf(code, name, unit, Decimal(cost), weight, template, tuple(_options(o) for o in options), tax)


def branch(code: str, name: str, *children: "Branch | Leaf") -> Branch:
    """A category with children."""
    return Branch(code, name, children)


BRANDS = ("Ferrox", "Tecnimax", "Ibertool", "Norvik", "Kraftmann", "Voltrak", "Prosafe", "Hidrotec", "Lubrix", "Rodisa")
"""Fictional makers: appended to a name once a leaf has used every option combination."""

_M = "M5:50|M6:65|M8:100|M10:150|M12:220|M16:420"
_FINISH = "zincado:100|inox A2:280|inox A4:420|calidad 8.8 negro:90|dacromet:140"

TREE: tuple[Branch, ...] = (
    branch("TOR", "Tornillería y fijaciones / Fasteners",
        branch("TOR-TOR", "Tornillos",
            leaf("TOR-TOR-HEX", "Tornillos hexagonales", "BOX", "6.40", 30, "Tornillo DIN 933 {}x{} {} (caja 100)", _M, "12:60|16:70|20:80|25:90|30:100|40:120|50:140|60:165|80:210|100:260", _FINISH),
            leaf("TOR-TOR-ALL", "Tornillos Allen", "BOX", "7.80", 20, "Tornillo Allen DIN 912 {}x{} {} (caja 100)", _M, "10:55|16:70|20:80|25:90|30:100|40:120|50:140|60:165", _FINISH),
            leaf("TOR-TOR-AUT", "Tornillos autorroscantes", "BOX", "3.10", 14, "Tornillo autorroscante DIN 7981 {}x{} {} (caja 200)", "2,9:60|3,5:80|3,9:90|4,2:100|4,8:125|5,5:160", "9,5:70|13:80|16:90|19:100|25:120|32:140|38:160", "zincado:100|inox A2:300|bicromatado:110"),
            leaf("TOR-TOR-MAD", "Tornillos para madera", "BOX", "4.50", 10, "Tornillo rosca madera Torx {}x{} {} (caja 200)", "3,5:70|4:85|4,5:100|5:120|6:170", "20:70|30:85|40:100|50:120|60:140|80:180", "bicromatado:100|zincado blanco:95|inox A2:320"),
        ),
        branch("TOR-TUE", "Tuercas y arandelas",
            leaf("TOR-TUE-TUE", "Tuercas hexagonales", "BOX", "3.20", 12, "Tuerca hexagonal DIN 934 {} {} (caja 100)", "M4:40|M5:50|M6:65|M8:100|M10:150|M12:220|M14:300|M16:420|M20:700", _FINISH),
            leaf("TOR-TUE-AUT", "Tuercas autoblocantes", "BOX", "4.60", 9, "Tuerca autoblocante DIN 985 {} {} (caja 100)", "M4:40|M5:50|M6:65|M8:100|M10:150|M12:220|M16:420", "zincado:100|inox A2:280|inox A4:420"),
            leaf("TOR-TUE-ARA", "Arandelas", "EA", "0.0180", 9, "Arandela {} {} {}", "plana DIN 125:100|ancha DIN 9021:140|Grower DIN 127:160|dentada DIN 6798:180", "M4:40|M5:50|M6:65|M8:100|M10:150|M12:220|M16:400|M20:650", "zincada:100|inox A2:290"),
        ),
        branch("TOR-ANC", "Anclajes",
            leaf("TOR-ANC-MEC", "Anclajes mecánicos", "BOX", "18.50", 8, "Anclaje metálico de expansión {}x{} {} (caja 50)", "M6:60|M8:100|M10:150|M12:210|M16:380", "60:80|80:100|100:120|120:140|150:170", "zincado:100|inox A4:340"),
            leaf("TOR-ANC-QUI", "Anclajes químicos", "EA", "9.80", 4, "Anclaje químico {} cartucho {}", "poliéster sin estireno:100|viniléster:140|epoxi acrílico:190|epoxi puro:260", "300 ml:100|410 ml:130|585 ml:170"),
            leaf("TOR-ANC-TAC", "Tacos de nylon", "BOX", "2.90", 6, "Taco de nylon {} Ø{} (caja 100)", "universal:100|para ladrillo hueco:120|para pladur:130|largo para marcos:150", "5:60|6:80|8:100|10:140|12:200|14:260"),
        ),
        branch("TOR-VAR", "Varillas y remaches",
            leaf("TOR-VAR-ROS", "Varilla roscada", "EA", "1.40", 5, "Varilla roscada DIN 975 {} x 1 m {}", "M6:50|M8:100|M10:150|M12:220|M14:300|M16:400|M20:650", "zincada:100|inox A2:320|calidad 8.8:160"),
            leaf("TOR-VAR-REM", "Remaches", "BOX", "5.30", 6, "Remache ciego {} Ø{}x{} (caja 500)", "aluminio/acero:100|aluminio/aluminio:110|inox/inox:290|estanco:180", "3,2:70|4:90|4,8:110|6,4:160", "8:80|10:90|12:100|16:115|20:130"),
        ),
    ),
    branch("HEL", "Herramientas eléctricas / Power tools",
        branch("HEL-BAT", "Herramienta a batería",
            leaf("HEL-BAT-TAL", "Taladros y atornilladores", "EA", "82.00", 6, "{} {} {} {}", "Taladro atornillador:100|Taladro percutor:115|Atornillador de impacto:105|Llave de impacto 1/2\":140", "12V:70|18V:100", "sin batería:55|2 baterías 2Ah:100|2 baterías 4Ah:125|2 baterías 5Ah en maletín:140", "Voltrak|Kraftmann|Norvik"),
            leaf("HEL-BAT-AMO", "Amoladoras a batería", "EA", "95.00", 3, "Amoladora a batería 18V {} {} {}", "Ø115 mm:100|Ø125 mm:110", "sin escobillas:120|con escobillas:100", "sin batería:55|2 baterías 4Ah:130|Voltrak:100|Kraftmann:105"),
            leaf("HEL-BAT-BAT", "Baterías y cargadores", "EA", "38.00", 3, "{} {} {}", "Batería Li-Ion 18V 2Ah:70|Batería Li-Ion 18V 4Ah:100|Batería Li-Ion 18V 5Ah:120|Batería Li-Ion 12V 3Ah:65|Cargador rápido 18V:80", "Voltrak|Kraftmann|Norvik", "estándar:100|para uso intensivo:115"),
        ),
        branch("HEL-CAB", "Herramienta con cable",
            leaf("HEL-CAB-MAR", "Martillos perforadores", "EA", "145.00", 4, "Martillo perforador {} {} {}", "SDS-Plus 800W:70|SDS-Plus 1000W:85|SDS-Max 1150W:140|SDS-Max 1500W:190|demoledor 1700W:260", "con maletín:100|con maletín y juego de brocas:115", "Voltrak|Kraftmann|Norvik"),
            leaf("HEL-CAB-AMO", "Amoladoras angulares", "EA", "58.00", 4, "Amoladora angular {} {} {}", "Ø115 mm 850W:80|Ø125 mm 1100W:100|Ø180 mm 2000W:160|Ø230 mm 2400W:190", "con regulación:115|sin regulación:100", "Voltrak|Kraftmann|Norvik"),
            leaf("HEL-CAB-SIE", "Sierras eléctricas", "EA", "120.00", 4, "{} {} {}", "Sierra de calar 650W:70|Sierra circular Ø190 1400W:110|Sierra sable 1200W:100|Tronzadora de metal Ø355:190|Sierra de cinta portátil:240", "Voltrak|Kraftmann|Norvik", "modelo base:100|kit con maletín:112"),
        ),
        branch("HEL-ACC", "Accesorios de herramienta eléctrica",
            leaf("HEL-ACC-BRO", "Brocas", "EA", "3.90", 14, "Broca {} Ø{} mm {}", "HSS-G metal DIN 338:100|HSS-Co 5% metal:190|SDS-Plus hormigón:150|widia mampostería:90|madera punta centradora:80", "3:40|4:50|5:60|6:70|8:100|10:140|12:190|14:250", "unidad:100|blíster 2 uds:185"),
            leaf("HEL-ACC-DIS", "Discos de corte y desbaste", "BOX", "14.00", 10, "Disco {} Ø{} (caja 25)", "de corte inox 1 mm:100|de corte metal 2,5 mm:85|de desbaste metal 6 mm:120|diamantado hormigón:600|de corte piedra:90", "115:80|125:100|180:160|230:210"),
            leaf("HEL-ACC-PUN", "Puntas de atornillar", "BOX", "6.50", 6, "Punta de atornillar {} {} {} (caja 10)", "PH1:90|PH2:100|PH3:110|PZ2:100|T20:105|T25:105|T30:110|Hex 5:110", "25 mm:100|50 mm:140|90 mm:180", "estándar:100|torsión impacto:150"),
        ),
    ),
    branch("HMA", "Herramienta manual / Hand tools",
        branch("HMA-LLA", "Llaves",
            leaf("HMA-LLA-COM", "Llaves combinadas", "EA", "6.20", 6, "Llave combinada {} {} mm", "cromo vanadio:100|acodada 15°:115|de carraca:240", "6:50|7:55|8:60|10:70|12:80|13:85|14:90|17:110|19:125|22:150|24:170|27:210|30:260|32:290"),
            leaf("HMA-LLA-DIN", "Llaves dinamométricas", "EA", "85.00", 2, "Llave dinamométrica {} {}", "1/4\" 5-25 Nm:70|3/8\" 20-100 Nm:90|1/2\" 40-200 Nm:100|1/2\" 60-340 Nm:140|3/4\" 150-800 Nm:260", "Ibertool|Kraftmann|Norvik"),
            leaf("HMA-LLA-VAS", "Juegos de vasos", "EA", "48.00", 3, "Juego de vasos {} {} piezas {}", "1/4\":60|3/8\":80|1/2\":100|1/2\" impacto:140", "24:70|46:100|94:170|108:200", "Ibertool|Kraftmann|Norvik"),
        ),
        branch("HMA-COR", "Corte y sujeción",
            leaf("HMA-COR-ALI", "Alicates", "EA", "11.50", 5, "Alicate {} {} mm {}", "universal:100|de corte diagonal:95|de punta semiredonda:95|pelacables:110|de presión:130|aislado 1000V:160", "160:85|180:100|200:115|250:140", "Ibertool|Kraftmann|Norvik"),
            leaf("HMA-COR-DES", "Destornilladores", "EA", "3.80", 5, "Destornillador {} {} {}", "plano:100|Phillips:100|Pozidriv:105|Torx:110|aislado VDE plano:170|aislado VDE Phillips:170", "pequeño:80|mediano:100|largo:120", "Ibertool|Kraftmann"),
        ),
        branch("HMA-MED", "Medición",
            leaf("HMA-MED-MET", "Flexómetros y niveles", "EA", "7.90", 4, "{} {} {}", "Flexómetro 3 m:50|Flexómetro 5 m:70|Flexómetro 8 m:100|Nivel de burbuja 60 cm:120|Nivel de burbuja 100 cm:160|Medidor láser 30 m:600", "Ibertool|Kraftmann|Norvik", "estándar:100|profesional magnético:125"),
            leaf("HMA-MED-CAL", "Calibres y micrómetros", "EA", "32.00", 3, "{} {} {}", "Pie de rey 150 mm:70|Pie de rey digital 150 mm:100|Pie de rey digital 300 mm:210|Micrómetro exteriores 0-25 mm:140|Reloj comparador:120", "Ibertool|Norvik", "con certificado:140|sin certificado:100"),
        ),
    ),
    branch("EPI", "EPIs / Personal protective equipment",
        branch("EPI-MAN", "Protección de manos",
            leaf("EPI-MAN-NIT", "Guantes desechables", "BOX", "5.90", 6, "Guantes de {} talla {} (caja 100)", "nitrilo azul:100|nitrilo negro reforzado:140|látex sin polvo:85|vinilo:70", "6:100|7:100|8:100|9:100|10:100"),
            leaf("EPI-MAN-COR", "Guantes de trabajo", "EA", "3.60", 6, "Guante {} talla {} (par)", "anticorte nivel C:160|anticorte nivel F:240|nitrilo recubierto:80|piel flor:100|térmico:130|soldador:150", "7:100|8:100|9:100|10:100|11:100"),
        ),
        branch("EPI-CAL", "Calzado de seguridad",
            leaf("EPI-CAL-BOT", "Botas de seguridad", "EA", "38.00", 4, "Bota de seguridad {} talla {} {}", "S3 SRC:100|S3 HRO cuero:125|S5 de agua:90", "38|39|40|41|42|43|44|45|46|47", "Prosafe|Norvik"),
            leaf("EPI-CAL-ZAP", "Zapatos de seguridad", "EA", "29.00", 3, "Zapato de seguridad {} talla {} {}", "S1P:100|S3 deportivo:120|ESD S2:130", "36|37|38|39|40|41|42|43|44|45|46", "Prosafe|Norvik"),
        ),
        branch("EPI-RES", "Protección respiratoria",
            leaf("EPI-RES-MAS", "Mascarillas", "BOX", "9.50", 3, "Mascarilla {} {} (caja {})", "FFP2:100|FFP2 con válvula:130|FFP3 con válvula:190", "plegable:100|moldeada:110", "10:50|20:100"),
            leaf("EPI-RES-FIL", "Filtros y semimáscaras", "EA", "7.20", 2, "{} {} {}", "Filtro A2:100|Filtro ABEK1:160|Filtro P3:90|Semimáscara reutilizable:240|Máscara completa:900", "Prosafe|Norvik", "estándar:100|bayoneta:105"),
        ),
        branch("EPI-VIS", "Protección ocular y auditiva",
            leaf("EPI-VIS-GAF", "Gafas de seguridad", "EA", "3.40", 3, "Gafas de seguridad {} {} {}", "incolora:100|solar:110|panorámica:140|sobregafas:120", "antivaho:110|antirrayado:105|antivaho y antirrayado:125", "Prosafe|Norvik"),
            leaf("EPI-VIS-AUD", "Protección auditiva", "EA", "2.10", 2, "{} {} {}", "Tapones desechables (par):10|Tapones con cordón (par):25|Orejeras 27 dB:400|Orejeras 32 dB:520|Orejeras para casco:480", "Prosafe|Norvik", "estándar:100|alta visibilidad:110"),
        ),
        branch("EPI-ALT", "Trabajos en altura",
            leaf("EPI-ALT-ARN", "Arneses y líneas de vida", "EA", "65.00", 2, "{} {} {}", "Arnés anticaídas 2 puntos:100|Arnés de posicionamiento:150|Eslinga con absorbedor:70|Anticaídas retráctil 6 m:260|Línea de vida temporal 20 m:300", "Prosafe|Norvik", "talla única:100|talla XL:105"),
        ),
        branch("EPI-AUX", "Primeros auxilios",
            leaf("EPI-AUX-BOT", "Botiquines y reposiciones", "EA", "14.00", 2, "{} {}", "Botiquín de empresa 10 personas:200|Botiquín portátil:100|Reposición botiquín:60|Lavaojos de emergencia 500 ml:45|Manta ignífuga:80", "Prosafe|Norvik", tax="IVA10"),
        ),
    ),
    branch("NEU", "Neumática / Pneumatics",
        branch("NEU-RAC", "Racores y tubo",
            leaf("NEU-RAC-PUS", "Racores instantáneos", "EA", "1.90", 12, "Racor instantáneo {} tubo Ø{} rosca {}", "recto macho:100|codo macho:120|T igual:150|recto unión:90|codo giratorio:140", "4:80|6:90|8:100|10:120|12:140", "M5:90|1/8\":100|1/4\":110|3/8\":125|1/2\":150"),
            leaf("NEU-RAC-TUB", "Tubo neumático", "M", "0.62", 4, "Tubo de {} {}x{} {}", "poliuretano:100|poliamida:130|antichispa:210", "4:60|6:80|8:100|10:130|12:160", "2,5:100|4:100|6,5:100|8:100", "azul|negro|transparente"),
        ),
        branch("NEU-CIL", "Cilindros y válvulas",
            leaf("NEU-CIL-ISO", "Cilindros neumáticos", "EA", "68.00", 6, "Cilindro ISO 15552 Ø{} carrera {} mm {}", "32:80|40:100|50:125|63:160|80:220|100:300", "25:80|50:90|100:100|160:115|200:125|320:150|500:190", "doble efecto:100|doble efecto amortiguado magnético:125"),
            leaf("NEU-CIL-VAL", "Electroválvulas", "EA", "42.00", 4, "Electroválvula {} {} bobina {}", "3/2 NC:80|5/2 monoestable:100|5/2 biestable:120|5/3 centro cerrado:150", "1/8\":85|1/4\":100|3/8\":130|1/2\":170", "24V DC:100|230V AC:105"),
        ),
        branch("NEU-FRL", "Tratamiento de aire",
            leaf("NEU-FRL-FRL", "Filtros reguladores", "EA", "36.00", 3, "{} rosca {} {}", "Filtro regulador:100|Lubricador:80|Grupo FRL completo:190|Regulador de presión con manómetro:70", "1/4\":85|3/8\":100|1/2\":120|3/4\":160", "serie compacta:100|serie alto caudal:130"),
        ),
    ),
    branch("HID", "Hidráulica / Hydraulics",
        branch("HID-LAT", "Latiguillos y mangueras",
            leaf("HID-LAT-MAN", "Manguera hidráulica", "M", "4.20", 4, "Manguera hidráulica {} DN{} {}", "SAE 100R1AT:80|SAE 100R2AT:100|EN 856 4SP:180|SAE 100R7 termoplástica:90", "6:60|8:75|10:90|12:100|16:130|19:160|25:220", "rollo corte a medida:100|rollo 50 m:95"),
            leaf("HID-LAT-TER", "Terminales y enlaces", "EA", "3.10", 8, "Terminal hidráulico {} DN{} rosca {}", "prensar hembra giratoria:100|prensar macho:90|prensar codo 90°:140|enlace recto:80", "6:60|8:75|10:90|12:100|16:130|19:160", "BSP 1/4\":80|BSP 3/8\":90|BSP 1/2\":100|JIC 3/4\":120|métrica M18x1,5:110"),
        ),
        branch("HID-COM", "Componentes hidráulicos",
            leaf("HID-COM-BOM", "Bombas de engranajes", "EA", "160.00", 2, "Bomba de engranajes grupo {} {} cc {}", "1:60|2:100|3:180", "4:80|8:90|11:100|16:115|22:130|32:160", "giro derecha:100|giro izquierda:100"),
            leaf("HID-COM-VAL", "Válvulas hidráulicas", "EA", "55.00", 3, "{} {} {}", "Válvula limitadora de presión:80|Distribuidor monobloque 1 palanca:180|Distribuidor monobloque 2 palancas:260|Válvula antirretorno:40|Divisor de caudal:150", "3/8\":90|1/2\":100|3/4\":130", "Hidrotec|Norvik"),
        ),
        branch("HID-ACE", "Aceites hidráulicos",
            leaf("HID-ACE-ACE", "Aceite hidráulico", "L", "2.90", 2, "Aceite hidráulico {} {} {}", "HLP 32:100|HLP 46:100|HLP 68:105|HVLP 46:125|biodegradable HEES 46:210", "(bidón 20 l):100|(bidón 5 l):108|(bidón 208 l):92", "Lubrix|Hidrotec"),
        ),
    ),
    branch("ROD", "Rodamientos y transmisión / Bearings & power transmission",
        branch("ROD-ROD", "Rodamientos",
            leaf("ROD-ROD-BOL", "Rodamientos de bolas", "EA", "4.10", 14, "Rodamiento rígido de bolas {}{} {}", "60:60|62:100|63:160|160:70|618:50", "00:60|01:70|02:80|03:90|04:100|05:120|06:150|07:190|08:230|10:320", "-2RS:110|-2Z:105|abierto:90|-2RS C3:125"),
            leaf("ROD-ROD-CON", "Rodamientos de rodillos", "EA", "16.00", 6, "Rodamiento de rodillos {} {} {}", "cónicos 302:100|cónicos 322:130|cilíndricos NU2:140|a rótula 222:220", "05:60|06:70|07:80|08:90|09:100|10:115|12:150|15:220", "Rodisa|Norvik"),
            leaf("ROD-ROD-SOP", "Soportes de rodamiento", "EA", "12.50", 4, "Soporte {} eje Ø{} mm {}", "de pie UCP:100|de brida cuadrada UCF:105|de brida oval UCFL:95|tensor UCT:120", "20:70|25:80|30:90|35:100|40:120|45:140|50:160", "fundición:100|inox:260|termoplástico:110"),
        ),
        branch("ROD-TRA", "Transmisión",
            leaf("ROD-TRA-COR", "Correas", "EA", "5.80", 6, "Correa trapezoidal {} {} {}", "SPZ:90|SPA:100|SPB:130|A/13:80|B/17:105", "800:70|1000:85|1250:100|1600:120|2000:145|2500:175", "Rodisa|Norvik"),
            leaf("ROD-TRA-CAD", "Cadenas y piñones", "EA", "24.00", 4, "{} {} {}", "Cadena de rodillos 08B-1 (5 m):100|Cadena de rodillos 10B-1 (5 m):130|Cadena de rodillos 12B-1 (5 m):170|Piñón 08B-1 z=15:30|Piñón 10B-1 z=19:45|Eslabón de unión 08B:5", "Rodisa|Norvik", "acero:100|inox:240"),
        ),
        branch("ROD-JUN", "Juntas y retenes",
            leaf("ROD-JUN-RET", "Retenes", "EA", "1.60", 6, "Retén radial {} {}x{}x{}", "NBR:100|FKM (Vitón):260", "20:70|25:80|30:90|35:100|40:110|45:125|50:140", "35:80|42:90|47:100|52:110|62:125", "7:100|8:100|10:110"),
            leaf("ROD-JUN-ORI", "Juntas tóricas", "BOX", "4.90", 4, "Kit juntas tóricas {} {} (O-rings)", "NBR 70:100|FKM 75:280|silicona:220|EPDM:130", "225 piezas métricas:100|386 piezas métricas:150|404 piezas en pulgadas:160|30 tamaños surtidos:120"),
        ),
    ),
    branch("SOL", "Soldadura / Welding",
        branch("SOL-EQU", "Equipos de soldadura",
            leaf("SOL-EQU-INV", "Equipos inverter", "EA", "310.00", 2, "Equipo de soldadura inverter {} {} {}", "MMA 160A:60|MMA 200A:80|TIG DC 200A:140|MIG/MAG 200A:160|multiproceso 250A:240", "monofásico:100|trifásico:125", "Kraftmann|Tecnimax"),
        ),
        branch("SOL-CON", "Consumibles de soldadura",
            leaf("SOL-CON-ELE", "Electrodos", "KG", "5.40", 3, "Electrodo {} Ø{} mm (paquete)", "rutilo E6013:100|básico E7018:120|inox 316L:420|fundición Ni:900", "2,0:110|2,5:105|3,2:100|4,0:95"),
            leaf("SOL-CON-HIL", "Hilo de soldadura", "KG", "2.80", 3, "Hilo MIG {} Ø{} mm bobina {}", "SG2 acero:100|ER308LSi inox:420|AlMg5 aluminio:520|tubular sin gas:240", "0,6:110|0,8:105|1,0:100|1,2:98", "5 kg:105|15 kg:100"),
            leaf("SOL-CON-VAR", "Varillas y gases", "EA", "18.00", 2, "{} {}", "Varilla TIG acero 2,4 mm (tubo 5 kg):100|Varilla TIG inox 2,4 mm (tubo 5 kg):320|Recarga botella argón 20 l:140|Recarga botella mezcla Ar/CO2 20 l:130", "Tecnimax|Kraftmann"),
        ),
        branch("SOL-PRO", "Protección para soldadura",
            leaf("SOL-PRO-CAR", "Caretas de soldadura", "EA", "42.00", 2, "Careta de soldadura {} {}", "automática DIN 9-13:100|automática DIN 4/9-13 gran visor:150|de mano:20|con respirador motorizado:1100", "Prosafe|Tecnimax"),
        ),
    ),
    branch("ADH", "Adhesivos, sellantes y químicos / Adhesives, sealants & chemicals",
        branch("ADH-ADH", "Adhesivos",
            leaf("ADH-ADH-INS", "Adhesivos instantáneos", "EA", "6.20", 3, "Adhesivo instantáneo {} {}", "cianoacrilato baja viscosidad:100|cianoacrilato gel:110|cianoacrilato para plásticos:125|activador en spray:90", "20 g:100|50 g:200|500 g:1400"),
            leaf("ADH-ADH-EST", "Adhesivos estructurales", "EA", "14.50", 3, "Adhesivo {} {}", "epoxi bicomponente:100|metacrilato estructural:150|poliuretano bicomponente:120|MS polímero:60", "cartucho 50 ml:100|cartucho 400 ml:420|kit 2x25 ml:80"),
        ),
        branch("ADH-SEL", "Sellantes",
            leaf("ADH-SEL-SIL", "Siliconas y masillas", "EA", "3.20", 4, "{} {} {}", "Silicona neutra:100|Silicona ácida:85|Silicona alta temperatura:180|Masilla poliuretano:140|Masilla MS polímero:150", "blanca|gris|negra|transparente", "cartucho 300 ml:100|salchicha 600 ml:170"),
            leaf("ADH-SEL-FRE", "Fijadores de roscas", "EA", "9.80", 3, "Fijador de roscas {} {}", "resistencia media (azul):100|resistencia alta (rojo):110|sellador de roscas hidráulicas:120|formador de juntas:130", "10 ml:40|50 ml:100|250 ml:380"),
        ),
        branch("ADH-QUI", "Químicos de mantenimiento",
            leaf("ADH-QUI-LUB", "Lubricantes en aerosol", "EA", "4.10", 4, "{} aerosol {} {}", "Aflojatodo multiuso:100|Grasa de litio:120|Lubricante PTFE:150|Antiproyecciones de soldadura:90|Limpiacontactos:110|Galvanizado en frío:130", "400 ml:100|500 ml:120", "Lubrix|Hidrotec"),
            leaf("ADH-QUI-GRA", "Grasas", "KG", "6.50", 2, "Grasa {} {} {}", "de litio EP2:100|de complejo de litio:130|alimentaria H1:250|de alta temperatura:180", "(cartucho 400 g):120|(bote 1 kg):100|(bidón 5 kg):90", "Lubrix|Hidrotec"),
            leaf("ADH-QUI-LIM", "Limpiadores y desengrasantes", "L", "2.60", 2, "{} {} {}", "Desengrasante industrial:100|Limpiador de manos con micropartículas:150|Disolvente de limpieza:120|Desengrasante alimentario:140", "(garrafa 5 l):100|(garrafa 25 l):88", "Lubrix|Hidrotec"),
        ),
    ),
    branch("ELE", "Electricidad industrial / Industrial electrical",
        branch("ELE-CAB", "Cables",
            leaf("ELE-CAB-MAN", "Cable manguera", "M", "0.85", 4, "Cable manguera {} {}x{} mm² {}", "H05VV-F:100|H07RN-F:170|RV-K 0,6/1 kV:140", "2:70|3:100|4:130|5:160", "0,75:60|1:75|1,5:100|2,5:150|4:230|6:330", "negro|gris"),
            leaf("ELE-CAB-RZ1", "Cable libre de halógenos", "M", "0.52", 3, "Cable {} 1x{} mm² {}", "RZ1-K (AS) 0,6/1 kV:140|H07Z1-K (AS):100", "1,5:60|2,5:100|4:150|6:220|10:360|16:560|25:870", "negro|azul|marrón|gris|amarillo-verde"),
        ),
        branch("ELE-APA", "Aparamenta",
            leaf("ELE-APA-MAG", "Magnetotérmicos", "EA", "7.80", 4, "Interruptor magnetotérmico {} {} curva {} 6 kA", "1P+N:100|2P:140|3P:210|4P:280", "6A:100|10A:100|16A:100|20A:105|25A:110|32A:120|40A:150|63A:200", "C:100|D:130|B:100"),
            leaf("ELE-APA-DIF", "Diferenciales", "EA", "38.00", 2, "Interruptor diferencial {} {} {} tipo {}", "2P:100|4P:180", "25A:100|40A:110|63A:150", "30 mA:100|300 mA:95", "AC:100|A:140|A superinmunizado:190"),
            leaf("ELE-APA-CON", "Contactores y relés", "EA", "19.00", 3, "{} {} bobina {}", "Contactor 9A 1NA:100|Contactor 18A 1NA:130|Contactor 32A 1NA+1NC:220|Relé térmico 7-10A:120|Guardamotor 6-10A:190", "Tecnimax|Norvik", "24V AC:100|230V AC:100|24V DC:115"),
        ),
        branch("ELE-ILU", "Iluminación",
            leaf("ELE-ILU-PRO", "Proyectores LED", "EA", "24.00", 3, "Proyector LED {} {} {}", "30W:60|50W:80|100W:100|150W:140|200W:180", "4000K:100|5700K:100", "IP65:100|IP66 con sensor:130"),
            leaf("ELE-ILU-PAN", "Pantallas estancas y campanas", "EA", "31.00", 3, "{} {} {}", "Pantalla estanca LED 1200 mm 36W:60|Pantalla estanca LED 1500 mm 50W:75|Campana LED UFO 100W:100|Campana LED UFO 150W:130|Campana LED UFO 200W:165", "4000K:100|5000K:100", "Tecnimax|Norvik"),
        ),
        branch("ELE-CON", "Conexión y canalización",
            leaf("ELE-CON-BOR", "Bornas y terminales", "BOX", "5.20", 4, "{} {} (caja {})", "Terminal de puntera aislado:60|Terminal de anilla:70|Borna de carril DIN:100|Conector de empalme rápido:90", "0,5-1,5 mm²:90|1,5-2,5 mm²:100|4-6 mm²:130", "50:60|100:100|500:400"),
            leaf("ELE-CON-BRI", "Bridas y canaletas", "BOX", "3.40", 4, "{} {} {}", "Brida de nylon 2,5x100:40|Brida de nylon 4,8x200:80|Brida de nylon 7,6x370:140|Brida inox 4,6x200:260|Tubo corrugado M20 (rollo 100 m):400|Canaleta 40x60 (caja 2 m x 20):600", "negra|blanca", "(caja 100):100|(caja 1000):800"),
        ),
    ),
    branch("FON", "Fontanería y riego / Plumbing & irrigation",
        branch("FON-TUB", "Tubería y accesorios",
            leaf("FON-TUB-PVC", "Tubo y accesorios de PVC", "EA", "4.80", 4, "{} PVC presión Ø{} {}", "Tubo (barra 5 m):300|Codo 90°:30|Te igual:40|Manguito:20|Válvula de bola:240", "20:60|25:70|32:85|40:100|50:130|63:170|75:220|90:290|110:380", "PN10:100|PN16:125"),
            leaf("FON-TUB-MUL", "Tubo multicapa", "M", "1.30", 2, "Tubo multicapa PEX-AL-PEX {}x{} {}", "16:80|20:100|26:150|32:210", "2,0:100|2,25:105|3,0:120", "(rollo 100 m):100|(barra 5 m):115|coquillado (rollo 50 m):160"),
            leaf("FON-TUB-LAT", "Accesorios de latón", "EA", "2.40", 4, "{} latón {} {}", "Racor recto:100|Codo hembra:110|Te hembra:130|Manguito reducido:90|Enlace tres piezas:170", "1/2\":80|3/4\":100|1\":150|1 1/4\":230", "roscado:100|press-fitting:160"),
        ),
        branch("FON-VAL", "Válvulas",
            leaf("FON-VAL-BOL", "Válvulas de bola", "EA", "7.80", 3, "Válvula de bola {} {} {}", "paso total mando palanca:100|paso total mando mariposa:95|inox 316 3 piezas:380|con purga:130", "1/2\":70|3/4\":100|1\":150|1 1/4\":230|1 1/2\":300|2\":450", "PN25:100|PN40:120"),
        ),
        branch("FON-RIE", "Riego",
            leaf("FON-RIE-GOT", "Riego por goteo", "EA", "12.00", 2, "{} {}", "Tubería goteo integrado 16 mm (rollo 100 m):300|Gotero autocompensante 4 l/h (bolsa 100):60|Programador de riego 4 zonas:380|Electroválvula de riego 1\":120|Filtro de anillas 1\":90", "Hidrotec|Norvik"),
        ),
    ),
    branch("ALM", "Almacenaje y manutención / Storage & handling",
        branch("ALM-EST", "Estanterías y contenedores",
            leaf("ALM-EST-MET", "Estanterías metálicas", "EA", "62.00", 2, "Estantería metálica {} {}x{} mm {}", "4 baldas:100|5 baldas:120|6 baldas:140", "1800x900:100|2000x1000:115|2500x1200:160", "300:90|400:100|600:130", "galvanizada:100|azul/naranja:110"),
            leaf("ALM-EST-CAJ", "Cajas y gavetas", "EA", "2.90", 3, "{} {} {}", "Gaveta apilable 100x160x75:40|Gaveta apilable 150x240x130:70|Gaveta apilable 200x340x150:100|Caja europea 600x400x220:220|Contenedor de retención 2 bidones:1700", "azul|roja|gris|amarilla", "polipropileno:100|reciclado:88"),
        ),
        branch("ALM-ELE", "Elevación y manutención",
            leaf("ALM-ELE-TRA", "Transpaletas y carretillas", "EA", "240.00", 1, "{} {}", "Transpaleta manual 2500 kg:100|Transpaleta manual 3000 kg horquilla larga:125|Transpaleta con báscula:330|Carretilla de almacén 250 kg:35|Carro de plataforma 300 kg:45", "Tecnimax|Norvik"),
            leaf("ALM-ELE-ESL", "Eslingas y elevación", "EA", "9.50", 3, "{} {} {}", "Eslinga plana poliéster 1 t:60|Eslinga plana poliéster 2 t:80|Eslinga redonda 3 t:100|Cadena de elevación G80 1 ramal:600|Grillete lira galvanizado:40|Cáncamo DIN 580:30", "1 m:80|2 m:100|3 m:120|4 m:140", "certificada CE:100"),
        ),
    ),
    branch("ABR", "Abrasivos / Abrasives",
        branch("ABR-LIJ", "Lijas y discos de láminas",
            leaf("ABR-LIJ-DLA", "Discos de láminas", "BOX", "16.00", 4, "Disco de láminas {} Ø{} grano {} (caja 10)", "circonio:100|óxido de aluminio:80|cerámico:150", "115:85|125:100|180:150", "40:100|60:100|80:100|120:100"),
            leaf("ABR-LIJ-ROL", "Lijas y bandas", "EA", "8.40", 3, "{} grano {} {}", "Rollo de lija 115 mm x 50 m:100|Banda de lija 75x533 (pack 10):70|Disco velcro Ø125 (caja 50):90|Hoja de lija al agua (pack 50):60", "60:100|80:100|120:100|180:100|240:100", "Ferrox|Ibertool"),
        ),
    ),
    branch("SER", "Formación y documentación / Training & documentation",
        branch("SER-FOR", "Formación",
            leaf("SER-FOR-PRL", "Cursos de prevención", "EA", "60.00", 1, "Curso {} {}", "PRL metal 20 h:300|PRL construcción 6 h:100|manejo de carretillas elevadoras:180|trabajos en altura:150|espacios confinados:170", "presencial:100|en línea:60", tax="EXENTO"),
        ),
        branch("SER-DOC", "Documentación técnica",
            leaf("SER-DOC-NOR", "Normas y manuales", "EA", "22.00", 1, "{} {}", "Manual de tornillería industrial:100|Prontuario de soldadura:90|Guía de neumática aplicada:110|Reglamento electrotécnico de baja tensión comentado:160|Manual de rodamientos:100", "edición 2025|edición 2026", tax="IVA4"),
        ),
    ),
)


def walk(node: Branch | Leaf, parent: str | None = None):
    """Yield (node, parent_code) for `node` and everything below it, parents first."""
    yield node, parent
    if isinstance(node, Branch):
        for child in node.children:
            yield from walk(child, node.code)


def leaves() -> list[Leaf]:
    """Every leaf of the tree, in tree order."""
    return [n for top in TREE for n, _ in walk(top) if isinstance(n, Leaf)]


__all__ = ["BRANDS", "TREE", "Branch", "Leaf", "branch", "leaf", "leaves", "walk"]
